// Stands in for bignumber.js, which json-bigint (pop-core's JSON parser) loads for number literals longer than
// 15 characters. The only such number Dyplsapi sends is GroupId, an integer this function passes on as its exact
// decimal digits (lib/query/normalize.ts calls toFixed()): keeping the literal does that, without 18 KB of
// arbitrary-precision arithmetic in the bundle. Arithmetic on it is refused rather than done wrongly.
class BigNumber {
  constructor(literal) {
    this.literal = String(literal);
  }
  toFixed() {
    return /^-?\d+$/.test(this.literal) ? this.literal : String(Number(this.literal));
  }
  toString() {
    return this.literal;
  }
  toJSON() {
    return this.literal;
  }
  valueOf() {
    return Number(this.literal);
  }
  static isBigNumber(v) {
    return v instanceof BigNumber;
  }
}
module.exports = BigNumber;
module.exports.BigNumber = BigNumber;
module.exports.default = BigNumber;
