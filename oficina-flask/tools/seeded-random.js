// Preloaded with `node -r`: a seeded Math.random, so the converter's fake example values are
// the same on every run and the committed collection can be checked for staleness.
let state = 20261201;
Math.random = function seeded() {
  state |= 0;
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
