package org.l3wb.hw.cache;

/**
 * A tag-only, fully associative, true-LRU cache of the same number of lines as the real one. It
 * exists to classify the real cache's misses: a miss this shadow would have hit is a conflict miss,
 * one it also misses is a capacity miss (Hill's three C's). Allocation-free: slots in int arrays, an
 * intrusive LRU list, and a direct index from every memory line to its slot (one load per look-up,
 * 4 bytes per line of memory).
 */
final class FullyAssociativeLru {
    private static final int EMPTY = -1;
    private final int capacity;
    private final int[] lineOf;
    private final int[] prev;
    private final int[] next;
    /** Slot + 1 of each memory line, 0 when the line is not held. */
    private final int[] slotOfLine;
    private int head = EMPTY;
    private int tail = EMPTY;
    private int size;

    FullyAssociativeLru(int capacity, int memoryLines) {
        this.capacity = capacity;
        lineOf = new int[capacity];
        prev = new int[capacity];
        next = new int[capacity];
        slotOfLine = new int[memoryLines];
    }

    private void unlink(int slot) {
        int p = prev[slot];
        int n = next[slot];
        if (p != EMPTY) {
            next[p] = n;
        } else {
            head = n;
        }
        if (n != EMPTY) {
            prev[n] = p;
        } else {
            tail = p;
        }
    }

    private void pushFront(int slot) {
        prev[slot] = EMPTY;
        next[slot] = head;
        if (head != EMPTY) {
            prev[head] = slot;
        }
        head = slot;
        if (tail == EMPTY) {
            tail = slot;
        }
    }

    /** Accesses {@code line}, allocating it on a miss: @return whether it was present. */
    boolean access(int line) {
        int slot = slotOfLine[line] - 1;
        if (slot != EMPTY) {
            if (slot != head) {
                unlink(slot);
                pushFront(slot);
            }
            return true;
        }
        if (size < capacity) {
            slot = size++;
        } else {
            slot = tail;
            slotOfLine[lineOf[slot]] = 0;
            unlink(slot);
        }
        lineOf[slot] = line;
        slotOfLine[line] = slot + 1;
        pushFront(slot);
        return false;
    }

    /** Refreshes {@code line} if present, allocating nothing (a write under no-write-allocate). */
    void touchIfPresent(int line) {
        int slot = slotOfLine[line] - 1;
        if (slot != EMPTY && slot != head) {
            unlink(slot);
            pushFront(slot);
        }
    }

    void clear() {
        for (int s = 0; s < size; s++) {
            slotOfLine[lineOf[s]] = 0;
        }
        head = tail = EMPTY;
        size = 0;
    }
}
