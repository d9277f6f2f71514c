package org.l3wb.hw.api;

/**
 * Shape of the on-chip cache: the i486 has 8 KB, 4 ways, 16-byte lines, 128 sets, pseudo-LRU,
 * unified for code and data, write-through.
 *
 * @param sizeBytes total size, a power of two
 * @param ways      lines per set, a power of two
 * @param lineBytes bytes per line, a power of two of at least 4
 */
public record CacheGeometry(int sizeBytes, int ways, int lineBytes) {
    /** Rejects shapes that are not powers of two or do not fit together. */
    public CacheGeometry {
        Geometry.powerOfTwo("cache.sizeBytes", sizeBytes);
        Geometry.powerOfTwo("cache.ways", ways);
        Geometry.powerOfTwo("cache.lineBytes", lineBytes);
        if (lineBytes < 4) {
            throw new IllegalArgumentException("cache.lineBytes must be at least 4, got " + lineBytes);
        }
        if ((long) ways * lineBytes > sizeBytes) {
            throw new IllegalArgumentException("cache.ways x cache.lineBytes must not exceed cache.sizeBytes, got "
                    + ways + " x " + lineBytes + " > " + sizeBytes);
        }
        if (ways > 64) {
            throw new IllegalArgumentException("cache.ways must not exceed 64, got " + ways);
        }
    }

    /** @return number of sets */
    public int sets() {
        return sizeBytes / (ways * lineBytes);
    }

    /** @return number of lines */
    public int lines() {
        return sizeBytes / lineBytes;
    }
}
