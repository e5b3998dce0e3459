/**
 * $validate (resource-operation-validate): a resource, or Parameters(resource, profile), in; an
 * OperationOutcome out. At instance level without a body, the stored resource is validated.
 */
import { isJsonObject, objectsOf, type JsonObject } from '../../json.js';
import type { OperationHandler } from '../extension-points.js';
import { badRequest } from '../outcomes.js';

export const validateOperation: OperationHandler = {
  name: 'validate',
  definition: 'http://hl7.org/fhir/OperationDefinition/Resource-validate',
  handle({ server, request }, target) {
    let resource: unknown = request.body;
    let profiles: string[] = [];
    if (isJsonObject(resource) && resource.resourceType === 'Parameters' && target.type !== 'Parameters') {
      const parameters = objectsOf(resource.parameter);
      profiles = parameters
        .filter((p) => p.name === 'profile' && typeof p.valueUri === 'string')
        .map((p) => p.valueUri as string);
      resource = parameters.find((p) => p.name === 'resource')?.resource;
    }
    if (resource === undefined && target.type && target.id)
      resource = server.parts.storage.read(target.type, target.id)?.resource;
    if (!isJsonObject(resource))
      throw badRequest(
        '$validate needs a resource: the body, a Parameters with a resource part, or an existing resource',
      );
    const outcome = server.parts.validator.validate(resource, { profiles });
    return { status: 200, body: outcome as unknown as JsonObject, headers: {} };
  },
};
