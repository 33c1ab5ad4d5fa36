'use strict';

/**
 * Applies TypeScript-style decorators from plain JavaScript, in the order TypeScript would
 * (the decorator written last runs first), so the contenders can use each library's own
 * decorators exactly as an application would.
 */

/**
 * @param {Function} cls
 * @param {Array<(target: Function) => Function | void>} decorators
 * @returns {void}
 */
function decorateClass(cls, decorators) {
  for (const decorator of [...decorators].reverse()) decorator(cls);
}

/**
 * @param {Function} cls
 * @param {string} method
 * @param {Array<(target: object, key: string, descriptor: PropertyDescriptor) => PropertyDescriptor | void>} decorators
 * @returns {void}
 */
function decorateMethod(cls, method, decorators) {
  const proto = cls.prototype;
  let descriptor = /** @type {PropertyDescriptor} */ (Object.getOwnPropertyDescriptor(proto, method));
  for (const decorator of [...decorators].reverse()) descriptor = decorator(proto, method, descriptor) || descriptor;
  Object.defineProperty(proto, method, descriptor);
}

/**
 * @param {Function} cls
 * @param {string} method
 * @param {number} index parameter position
 * @param {(target: object, key: string, index: number) => void} decorator
 * @returns {void}
 */
function decorateParameter(cls, method, index, decorator) {
  decorator(cls.prototype, method, index);
}

module.exports = { decorateClass, decorateMethod, decorateParameter };
