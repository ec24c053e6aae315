/**
 * Stand-in for `z-schema` in the extension build. @veramo/core imports it (and with it
 * `validator`, a quarter of the worker bundle) for plugin schema validation, which our
 * agent turns off (`schemaValidation: false`). The stub keeps the import working and
 * fails loudly if validation were ever switched on.
 */
export default class DisabledSchemaValidator {
  setRemoteReference(): void {}

  validate(): never {
    throw new Error('JSON schema validation is not bundled in Tessera (schemaValidation is off).');
  }

  getLastErrors(): null {
    return null;
  }
}
