package org.l3wb.hw.cpu386;

import java.util.EnumSet;
import java.util.Set;

import org.l3wb.hw.api.CacheGeometry;
import org.l3wb.hw.api.Instruction;
import org.l3wb.hw.api.InstructionCosts;
import org.l3wb.hw.api.MemoryTiming;
import org.l3wb.hw.api.MemoryUnit;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.api.Segmentation;
import org.l3wb.hw.api.TlbGeometry;
import org.osgi.service.component.annotations.Component;

/**
 * Table 2's third L3 machine: an Intel 386 DX at 20 MHz on a board without a cache. A description
 * only: the machine that executes it is {@code MachineFactory} (hw.cpu486's core executes any cost
 * table). Every number is cited in {@code hw.cpu386/readme.md}.
 *
 * <ul>
 * <li>Cost table: the clocks of the Intel 80386 Programmer's Reference Manual (1986), chapter 17
 * (instruction set), which assume the instruction prefetched and decoded and bus cycles without wait
 * states; a memory operand's two-clock bus cycle is inside them.</li>
 * <li>No on-chip cache, no INVLPG and no WBINVD (both new in the i486), no supervisor write
 * protection (CR0.WP is new in the i486), the 386's paging TLB of 32 entries, 4 ways.</li>
 * <li>Board: no external cache, DRAM at one wait state per bus cycle: each read or write costs the
 * cost table's clocks plus one. The board's "line" is the 386's 32-bit bus transfer, 4 bytes, so
 * code is fetched a dword per bus cycle, as the 386's prefetcher does.</li>
 * </ul>
 */
@Component(service = ProcessorModel.class, property = ProcessorModel.NAME + "=" + I386Dx20.NAME)
public class I386Dx20 implements ProcessorModel {
    /** The model's name, as {@code hw:use} takes it. */
    public static final String NAME = "i386dx20";

    /** Clock in MHz (Table 2: "386, 20"). */
    public static final int CLOCK_MHZ = 20;

    /**
     * Wait states per bus cycle on the board (readme: 80 ns DRAM, tRC 150 ns, against the 100 ns of a
     * zero-wait-state 386 bus cycle at 20 MHz); added to every bus read and write.
     */
    public static final int WAIT_STATES = 1;

    /**
     * The 80386 Programmer's Reference Manual's clocks (chapter 17), in InstructionCosts' order. "m"
     * (the components of the next instruction, which a jump must fetch again) is taken as 2: opcode
     * and ModR/M byte.
     */
    public static final InstructionCosts I386_COSTS = new InstructionCosts(
            2, // MOV r32, imm32
            2, // ADD/AND/CMP/MOV r, r
            3, // SHL/SHR r32, imm8
            1, // a second general register in the effective address: +1 clock (manual's timing notes)
            4, // MOV r32, m32
            2, // MOV m32, r32
            6, // CMP r32, m32
            9, // Jcc taken: 7 + m
            3, // Jcc not taken
            9, // JMP near: 7 + m
            9, // CALL near: 7 + m
            12, // RET near: 10 + m
            2, // PUSH r32
            4, // POP r32
            99, // INT n, protected mode, interrupt gate to a more privileged level
            59, // INT n, protected mode, interrupt gate at the same level
            82, // IRET to a less privileged level
            38, // IRET at the same level
            5, // MOV CR3, r32
            0, // INVLPG: none on the 386 (#UD, see instructions()); the kernel reloads CR3 instead
            18, // MOV Sreg, r/m16 in protected mode (register form; memory form 19)
            2, // MOV r/m16, Sreg
            5, // REP MOVS: 5 + 4n
            4, // REP MOVS per item
            4, // TLB miss: the two page-table reads' bus cycles, 2 clocks each (the walk's reads are charged their wait states by the board)
            0, // INVD/WBINVD: none on the 386 (#UD)
            11, // LGDT/LIDT: 11
            38); // DIV r32: 38 (DIV: "DIV EAX,r/m32 38/41"; fixed, no early out)

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Intel 386 DX-20: no on-chip cache, 32-entry TLB, no external cache, DRAM at 1 wait state";
    }

    @Override
    public int clockMHz() {
        return CLOCK_MHZ;
    }

    @Override
    public InstructionCosts costs() {
        return I386_COSTS;
    }

    /** The 386's TLB: 32 entries, 4-way set associative (80386 Programmer's Reference Manual, 5.2.5). */
    @Override
    public TlbGeometry tlb() {
        return new TlbGeometry(32, 4);
    }

    /**
     * No on-chip cache ({@link #memoryUnits()} lacks it); the geometry only sets the bus transfer: 4-byte
     * "lines", so every dword of code or data is one bus cycle. Its size and ways are not used.
     */
    @Override
    public CacheGeometry onChipCache() {
        return new CacheGeometry(4096, 1, 4);
    }

    /**
     * 16 MB of DRAM (the paper's PC); no external cache and no write buffer ({@link #memoryUnits()}), so
     * a read costs {@code dramWriteCycles} beyond the cost table and a write stalls for as long: one
     * wait state each. The fill and external-cache fields are not used on this board (no cache is
     * filled); they hold what a 4-byte transfer would take, so that the record is valid.
     */
    @Override
    public MemoryTiming memoryTiming() {
        return new MemoryTiming(16 << 20, 4096, WAIT_STATES, WAIT_STATES, 1, WAIT_STATES, WAIT_STATES);
    }

    @Override
    public boolean hasSegments() {
        return true;
    }

    @Override
    public Segmentation segmentation() {
        return Segmentation.PROTECTED_MODE;
    }

    @Override
    public boolean taggedTlb() {
        return false;
    }

    /** Neither INVLPG nor WBINVD: both are new in the i486. */
    @Override
    public Set<Instruction> instructions() {
        return EnumSet.noneOf(Instruction.class);
    }

    /** Neither cache nor write buffer: every access is a bus cycle, every write waits for its bus cycle. */
    @Override
    public Set<MemoryUnit> memoryUnits() {
        return EnumSet.noneOf(MemoryUnit.class);
    }

    /** The 386 ignores a page's write bit in supervisor mode (CR0.WP is new in the i486). */
    @Override
    public boolean writeProtect() {
        return false;
    }
}
