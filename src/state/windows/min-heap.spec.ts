import { MinHeap } from './min-heap';

describe('MinHeap', () => {
  it('pops in ascending order whatever the push order', () => {
    const heap = new MinHeap<number>((a, b) => a - b);
    const values = [5, 3, 9, 1, 1, 8, 2, 7, 0, 6, 4];
    for (const value of values) heap.push(value);
    expect(heap.size).toBe(values.length);
    expect(heap.peek()).toBe(0);
    const popped: number[] = [];
    for (let next = heap.pop(); next !== undefined; next = heap.pop()) popped.push(next);
    expect(popped).toEqual([...values].sort((a, b) => a - b));
    expect(heap.pop()).toBeUndefined();
  });

  it('forgets everything on clear', () => {
    const heap = new MinHeap<number>((a, b) => a - b);
    heap.push(1);
    heap.clear();
    expect(heap.size).toBe(0);
    expect(heap.peek()).toBeUndefined();
  });
});
