package org.l3wb.hw.cpu486;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.l3wb.hw.api.CacheGeometry;
import org.l3wb.hw.api.Instruction;
import org.l3wb.hw.api.MemoryUnit;
import org.l3wb.hw.api.Mode;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.api.Replacement;
import org.l3wb.hw.api.Statistics;
import org.l3wb.hw.api.TlbGeometry;
import org.l3wb.hw.api.TraceListener;
import org.l3wb.hw.api.WritePolicy;

/**
 * REP MOVS per page and per line ({@link ProcessorCore#moveItems}) against the item-by-item path it
 * takes with a trace on: two machines run the same random stream of string moves (both widths, page
 * and line crossings, overlaps, aligned and not, faulting destinations) between loads, stores, INVLPG,
 * CR3 loads and WBINVD, one of them traced by a listener that records nothing. After every
 * instruction every counter, the clock, ESI, EDI and ECX must be equal, and at the end the TLB, the
 * cache and the memory, over several machine variants (TLB and cache shapes, true LRU, write-back,
 * no on-chip cache, no write buffer, a tagged TLB).
 */
class StringMoveEquivalenceTest {
    /** A trace that records nothing: it only makes the processor take the item-by-item path. */
    static final class Silent implements TraceListener {
    }

    /** The i486 DX-50, variant {@code which} of it answering some methods otherwise ({@link #change}). */
    static ProcessorModel variant(int which) {
        ProcessorModel base = StandardModels.i486dx50();
        return (ProcessorModel) Proxy.newProxyInstance(ProcessorModel.class.getClassLoader(),
                new Class<?>[] {ProcessorModel.class}, (proxy, method, args) -> {
                    Object changed = change(which, method.getName());
                    return changed != null ? changed : method.invoke(base, args);
                });
    }

    private static Object change(int which, String method) {
        return switch (which) {
            case 1 -> method.equals("tlb") ? new TlbGeometry(8, 1) // direct mapped: source and destination evict each other
                    : method.equals("onChipCache") ? new CacheGeometry(1024, 1, 16) : null;
            case 2 -> method.equals("tlbReplacement") || method.equals("cacheReplacement") ? Replacement.LRU
                    : method.equals("tlb") ? new TlbGeometry(4, 2) : null;
            case 3 -> method.equals("writePolicy") ? WritePolicy.WRITE_BACK_ALLOCATE
                    : method.equals("onChipCache") ? new CacheGeometry(2048, 2, 16) : null;
            case 4 -> method.equals("memoryUnits") ? (Set<MemoryUnit>) EnumSet.of(MemoryUnit.EXTERNAL_CACHE) : null;
            case 5 -> method.equals("memoryUnits")
                    ? (Set<MemoryUnit>) EnumSet.of(MemoryUnit.ON_CHIP_CACHE, MemoryUnit.EXTERNAL_CACHE)
                    : method.equals("tlb") ? new TlbGeometry(16, 4) : null; // kernel and user data pages share sets
            case 6 -> method.equals("taggedTlb") ? Boolean.TRUE
                    : method.equals("tlb") ? new TlbGeometry(4, 4)
                    : method.equals("instructions") ? EnumSet.allOf(Instruction.class)
                    : method.equals("onChipCache") ? new CacheGeometry(8192, 4, 32) : null;
            default -> null;
        };
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6})
    void perPageAndPerLineEqualsItemByItem(int which) {
        ProcessorModel model = variant(which);
        FlatSystem fast = new FlatSystem(model);
        FlatSystem slow = new FlatSystem(model);
        slow.cpu.trace(new Silent());
        Random random = new Random(1993 + which);
        int[] data = {FlatSystem.KERNEL_DATA, FlatSystem.USER_DATA};
        for (int base : data) {
            for (int a = 0; a < 4 * 4096; a += 4) {
                int v = random.nextInt();
                fast.machine.memory().writeWord(fast.phys(base + a), v);
                slow.machine.memory().writeWord(slow.phys(base + a), v);
            }
        }
        for (int step = 0; step < 3000; step++) {
            int kind = random.nextInt(20);
            int base = data[random.nextInt(2)];
            int src = base + random.nextInt(4 * 4096);
            int dst = data[random.nextInt(2)] + random.nextInt(4 * 4096);
            if (random.nextInt(3) == 0) { // near the source: overlaps, the same page or line
                dst = Math.max(base, Math.min(base + 4 * 4096 - 1, src + random.nextInt(64) - 32));
            }
            if (random.nextInt(40) == 0) {
                dst = FlatSystem.KERNEL_CODE + random.nextInt(4096); // read-only: the move faults
            }
            for (FlatSystem sys : new FlatSystem[] {fast, slow}) {
                sys.cpu.jumpTo(FlatSystem.KERNEL_CODE + (step & 0xFF) * 8);
                try {
                    run(sys, kind, src, dst, step);
                } catch (RuntimeException e) {
                    sys.cpu.setReg(Reg.EAX, e.getClass().getName().hashCode());
                }
            }
            int count = counts(step, src, dst);
            for (FlatSystem sys : new FlatSystem[] {fast, slow}) {
                try {
                    if (kind < 10) {
                        if ((step & 1) == 0 && ((src | dst) & 3) == 0 || kind == 0) {
                            sys.cpu.repMovsd(src, dst, count / 4);
                        } else {
                            sys.cpu.repMovsb(src, dst, count);
                        }
                    }
                } catch (RuntimeException e) {
                    sys.cpu.setReg(Reg.EBX, e.getClass().getName().hashCode());
                }
            }
            assertEquals(state(slow), state(fast), "after step " + step + " of variant " + which);
        }
        assertEquals(memory(slow), memory(fast));
        assertEquals(slow.machine.mmu().validTlbEntries(), fast.machine.mmu().validTlbEntries());
        assertEquals(slow.machine.cache().validLines(), fast.machine.cache().validLines());
        assertEquals(slow.machine.cache().dirtyLines(), fast.machine.cache().dirtyLines());
    }

    /** @return bytes to move: mostly within the four pages, now and then crossing several */
    private static int counts(int step, int src, int dst) {
        Random r = new Random(step * 31L + src);
        int room = Math.min(limit(src) - src, limit(dst) - dst);
        int count = r.nextInt(8) == 0 ? r.nextInt(Math.max(1, room)) : r.nextInt(Math.max(1, Math.min(room, 200)));
        return Math.max(0, count);
    }

    /** @return the end of the mapped region holding {@code linear} */
    private static int limit(int linear) {
        if (linear >= FlatSystem.KERNEL_DATA && linear < FlatSystem.KERNEL_DATA + 4 * 4096) {
            return FlatSystem.KERNEL_DATA + 4 * 4096;
        }
        if (linear >= FlatSystem.USER_DATA && linear < FlatSystem.USER_DATA + 4 * 4096) {
            return FlatSystem.USER_DATA + 4 * 4096;
        }
        return FlatSystem.KERNEL_CODE + 4 * 4096;
    }

    /** Other instructions between the moves: loads and stores (lines onto the chip), INVLPG, CR3, WBINVD. */
    private static void run(FlatSystem sys, int kind, int src, int dst, int step) {
        var cpu = sys.cpu;
        switch (kind) {
            case 10, 11, 12, 13 -> cpu.load(Reg.EAX, Reg.ESI, dst & ~3);
            case 14, 15 -> cpu.store(Reg.EDI, src & ~3, Reg.EAX, step);
            case 16 -> cpu.load(Reg.EAX, Reg.ESI, (src & ~3) ^ 0x1000);
            case 17 -> cpu.invlpg(dst);
            case 18 -> cpu.movCr3(sys.pdir);
            case 19 -> {
                if (step % 7 == 0) {
                    cpu.flushCache();
                }
            }
            default -> cpu.alu(Reg.EAX, Reg.EBX);
        }
    }

    private static String state(FlatSystem sys) {
        Statistics s = sys.machine.statistics();
        StringBuilder b = new StringBuilder("now=").append(s.now());
        for (Mode m : Mode.values()) {
            b.append(' ').append(m).append(": cycles=").append(s.cycles(m))
                    .append(" instructions=").append(s.instructions(m))
                    .append(" tlbHits=").append(s.tlbHits(m)).append(" tlbMisses=").append(s.tlbMisses(m))
                    .append(" cacheHits=").append(s.cacheHits(m))
                    .append(" compulsory=").append(s.compulsoryMisses(m))
                    .append(" capacity=").append(s.capacityMisses(m))
                    .append(" conflict=").append(s.conflictMisses(m))
                    .append(" writes=").append(s.writes(m)).append(" stalls=").append(s.writeStallCycles(m))
                    .append(" tlbMissCycles=").append(s.tlbMissCycles(m))
                    .append(" fillCycles=").append(s.lineFillCycles(m));
        }
        for (Reg r : new Reg[] {Reg.ESI, Reg.EDI, Reg.ECX, Reg.EAX, Reg.EBX}) {
            b.append(' ').append(r).append('=').append(sys.cpu.reg(r));
        }
        for (int page = 0; page < 4; page++) {
            for (int base : new int[] {FlatSystem.KERNEL_DATA, FlatSystem.USER_DATA}) {
                int linear = base + page * 4096;
                b.append(sys.machine.mmu().tlbHolds(linear) ? 'T' : '-');
                for (int line = 0; line < 4096; line += 16) {
                    b.append(sys.machine.cache().holds(sys.phys(linear + line)) ? 'C' : '.');
                }
            }
        }
        return b.toString();
    }

    private static long memory(FlatSystem sys) {
        long hash = 0;
        for (int base : new int[] {FlatSystem.KERNEL_DATA, FlatSystem.USER_DATA}) {
            for (int a = 0; a < 4 * 4096; a += 4) {
                hash = hash * 31 + sys.machine.memory().readWord(sys.phys(base + a));
            }
        }
        return hash;
    }
}
