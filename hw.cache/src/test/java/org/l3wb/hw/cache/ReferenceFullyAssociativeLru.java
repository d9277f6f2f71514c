package org.l3wb.hw.cache;

import java.util.Arrays;

/**
 * Frozen copy of FullyAssociativeLru as it was before the host-speed work (commit 74bb95b), the
 * reference for CacheHierarchyEquivalenceTest.
 *
 * <p>Original description:
 * A tag-only, fully associative, true-LRU cache of the same number of lines as the real one. It
 * exists to classify the real cache's misses: a miss this shadow would have hit is a conflict miss,
 * one it also misses is a capacity miss (Hill's three C's). Allocation-free: slots in int arrays, an
 * intrusive LRU list and an open-addressing index with backward-shift deletion.
 */
final class ReferenceFullyAssociativeLru {
    private static final int EMPTY = -1;
    private final int capacity;
    private final int[] lineOf;
    private final int[] prev;
    private final int[] next;
    private final int[] index;
    private final int indexMask;
    private int head = EMPTY;
    private int tail = EMPTY;
    private int size;

    ReferenceFullyAssociativeLru(int capacity) {
        this.capacity = capacity;
        lineOf = new int[capacity];
        prev = new int[capacity];
        next = new int[capacity];
        int tableSize = Integer.highestOneBit(capacity) << 2;
        index = new int[tableSize];
        indexMask = tableSize - 1;
        Arrays.fill(index, EMPTY);
    }

    private static int hash(int line) {
        int h = line * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private int find(int line) {
        for (int i = hash(line) & indexMask; ; i = (i + 1) & indexMask) {
            int slot = index[i];
            if (slot == EMPTY) {
                return EMPTY;
            }
            if (lineOf[slot] == line) {
                return slot;
            }
        }
    }

    private void indexInsert(int slot) {
        int i = hash(lineOf[slot]) & indexMask;
        while (index[i] != EMPTY) {
            i = (i + 1) & indexMask;
        }
        index[i] = slot;
    }

    private void indexRemove(int line) {
        int i = hash(line) & indexMask;
        while (lineOf[index[i]] != line) {
            i = (i + 1) & indexMask;
        }
        // backward-shift deletion keeps probe chains intact without tombstones
        int gap = i;
        for (int j = (gap + 1) & indexMask; index[j] != EMPTY; j = (j + 1) & indexMask) {
            int home = hash(lineOf[index[j]]) & indexMask;
            boolean movable = gap <= j ? (home <= gap || home > j) : (home <= gap && home > j);
            if (movable) {
                index[gap] = index[j];
                gap = j;
            }
        }
        index[gap] = EMPTY;
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
        int slot = find(line);
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
            indexRemove(lineOf[slot]);
            unlink(slot);
        }
        lineOf[slot] = line;
        indexInsert(slot);
        pushFront(slot);
        return false;
    }

    /** Refreshes {@code line} if present, allocating nothing (a write under no-write-allocate). */
    void touchIfPresent(int line) {
        int slot = find(line);
        if (slot != EMPTY && slot != head) {
            unlink(slot);
            pushFront(slot);
        }
    }

    void clear() {
        Arrays.fill(index, EMPTY);
        head = tail = EMPTY;
        size = 0;
    }
}
