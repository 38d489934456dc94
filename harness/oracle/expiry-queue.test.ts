import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { ExpiryQueue } from "./expiry-queue.ts";

type Op = { op: "push"; slot: number } | { op: "shift" } | { op: "filter"; keepOdd: boolean };

const ops = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constant("push" as const), slot: fc.integer({ min: 0, max: 255 }) }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant("shift" as const) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("filter" as const), keepOdd: fc.boolean() }) },
  ),
  { maxLength: 400 },
);

// The ring wraps around and doubles: through any pushes, shifts and filters it must hand entries back
// in the order of a plain array, each with its own home and slot.
test.prop([ops, fc.constantFrom(1, 2, 4, 64)])("keeps write order through wrap-around, growth and filtering", (list: Op[], capacity) => {
  let q = new ExpiryQueue<number, string>(capacity);
  let model: [number, string, number][] = [];
  let next = 0;
  for (const o of list) {
    if (o.op === "push") {
      const e = next++;
      q.push(e, `h${e}`, o.slot);
      model.push([e, `h${e}`, o.slot]);
    } else if (o.op === "shift") {
      if (model.length === 0) continue;
      q.shift();
      model.shift();
    } else {
      // Keeping an entry may also rehome it, as a clone does.
      const keep = (e: number, home: string) => (e % 2 === (o.keepOdd ? 1 : 0) ? `${home}'` : undefined);
      q = q.filtered(keep);
      model = model.filter(([e, h]) => keep(e, h) !== undefined).map(([e, h, s]) => [e, `${h}'`, s]);
    }
    expect(q.size).toBe(model.length);
    expect(q.oldest()).toBe(model[0]?.[0]);
    if (model.length > 0) expect([q.oldestHome(), q.oldestSlot()]).toEqual([model[0]![1], model[0]![2]]);
  }
  const drained: [number, string, number][] = [];
  while (q.size > 0) {
    drained.push([q.oldest()!, q.oldestHome(), q.oldestSlot()]);
    q.shift();
  }
  expect(drained).toEqual(model);
});
