package org.l3wb.hw.cpu486;

import org.l3wb.hw.api.Access;
import org.l3wb.hw.api.Cache;
import org.l3wb.hw.api.CodeStep;
import org.l3wb.hw.api.Descriptors;
import org.l3wb.hw.api.Instruction;
import org.l3wb.hw.api.InstructionCosts;
import org.l3wb.hw.api.InvalidOpcode;
import org.l3wb.hw.api.Mnemonic;
import org.l3wb.hw.api.Mmu;
import org.l3wb.hw.api.Mode;
import org.l3wb.hw.api.PhysicalMemory;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.api.Segmentation;
import org.l3wb.hw.api.Sreg;
import org.l3wb.hw.api.Statistics;

/**
 * An i486-style processor core executing the instruction stream its Java callers issue.
 *
 * <p>Each instruction: (1) fetches its bytes at EIP, translating and reading through the cache each
 * 16-byte line it enters that the prefetcher does not already hold; (2) is counted and charged its
 * cost from the model's table, in the mode it was fetched in; (3) translates and caches each memory
 * operand. The prefetched line is forgotten on CR3 loads, INT and IRET, so the first fetch after them
 * walks the TLB again (paper, Table 3: "TLB miss: kernel code", "TLB miss: user code").
 *
 * <p>INT and IRET issue the descriptor-table and stack accesses the 386 architecture defines; their
 * table cost already includes those cycles when they hit, so only misses add. Their stack writes are
 * spread one cycle apart at the end of the instruction, as the microcode issues them, so the write
 * buffer sees a realistic rate. Instruction lengths are those of the usual encodings (MOV r,m with an
 * 8-bit displacement is 3 bytes, and so on).
 *
 * <p>What the model declares is resolved here once: INVLPG, WBINVD and flush by tag on a model without
 * them raise {@link InvalidOpcode} (#UD, as a 386 does for INVLPG); a model without segments
 * ({@link Segmentation#none}) reads no GDT descriptor and no TSS on INT and IRET (the kernel stack
 * comes from a supervisor stack pointer latched by the last IRET to user mode, as the 68000 keeps its
 * SSP) and charges the model's entry and exit cycles instead of the protected-mode ones.
 */
final class X86Processor extends ProcessorCore implements Processor {
    private static final int EFLAGS_IF = 0x202;
    private static final int STACK_PUSHES_INNER = 5;
    private final boolean segments;
    private final boolean hasInvlpg;
    private final boolean hasWbinvd;
    private final boolean hasFlushTag;

    // cost table, unpacked for the hot path
    private final int cMovImm;
    private final int cAlu;
    private final int cShift;
    private final int cDiv;
    private final int cIndexed;
    private final int cLoad;
    private final int cStore;
    private final int cCmpMem;
    private final int cJccTaken;
    private final int cJccNotTaken;
    private final int cJmp;
    private final int cCall;
    private final int cRet;
    private final int cPush;
    private final int cPop;
    private final int cIntInner;
    private final int cIntSame;
    private final int cIretOuter;
    private final int cIretSame;
    private final int cMovCr3;
    private final int cInvlpg;
    private final int cLoadSeg;
    private final int cReadSeg;
    private final int cRepStartup;
    private final int cRepPerItem;
    private final int cFlush;
    private final int cTableReg;
    private int gdt;
    private int idt;
    private int tss;
    /**
     * Without segments: the supervisor stack pointer, ESP as the last IRET to user mode left it (the
     * top of the kernel stack of the thread it resumed); 0 until then.
     */
    private int supervisorStack;

    X86Processor(ProcessorModel model, Mmu mmu, Cache cache, PhysicalMemory memory, Statistics stats) {
        super(model, mmu, cache, memory, stats);
        Segmentation segmentation = model.segmentation();
        this.segments = segmentation.protectedMode();
        java.util.Set<Instruction> instructions = model.instructions();
        this.hasInvlpg = instructions.contains(Instruction.INVLPG);
        this.hasWbinvd = instructions.contains(Instruction.WBINVD);
        this.hasFlushTag = instructions.contains(Instruction.FLUSH_TLB_TAG);
        InstructionCosts c = model.costs();
        cMovImm = c.movRegImm();
        cAlu = c.alu();
        cShift = c.shift();
        cDiv = c.divide();
        cIndexed = c.indexedAddressing();
        cLoad = c.load();
        cStore = c.store();
        cCmpMem = c.cmpMem();
        cJccTaken = c.jccTaken();
        cJccNotTaken = c.jccNotTaken();
        cJmp = c.jmp();
        cCall = c.call();
        cRet = c.ret();
        cPush = c.push();
        cPop = c.pop();
        // without segments, entering and leaving the kernel cost what the model declares, whatever the levels
        cIntInner = segments ? c.intToInner() : segmentation.entryCycles();
        cIntSame = segments ? c.intSameLevel() : segmentation.entryCycles();
        cIretOuter = segments ? c.iretToOuter() : segmentation.exitCycles();
        cIretSame = segments ? c.iretSameLevel() : segmentation.exitCycles();
        cMovCr3 = c.movCr3();
        cInvlpg = c.invlpg();
        cLoadSeg = c.loadSegment();
        cReadSeg = c.readSegment();
        cRepStartup = c.repMovsStartup();
        cRepPerItem = c.repMovsPerItem();
        cFlush = c.cacheFlush();
        cTableReg = c.loadTableRegister();
        stats.enter(Mode.KERNEL);
    }

    @Override
    public void loadDescriptorTables(int gdtBase, int idtBase, int tssBase) {
        int at = eip;
        fetch(7);
        stats.instruction(cTableReg);
        gdt = gdtBase;
        retired(Mnemonic.LOAD_TABLE_REGISTER, at, Reg.NONE, Reg.NONE, Reg.NONE);
        at = eip;
        fetch(7);
        stats.instruction(cTableReg);
        idt = idtBase;
        retired(Mnemonic.LOAD_TABLE_REGISTER, at, Reg.NONE, Reg.NONE, Reg.NONE);
        at = eip;
        fetch(3);
        stats.instruction(cTableReg);
        tss = tssBase;
        retired(Mnemonic.LOAD_TABLE_REGISTER, at, Reg.NONE, Reg.NONE, Reg.NONE);
    }

    // --- instructions ------------------------------------------------------------------------

    @Override
    public void movImm(Reg dst, int imm) {
        int at = eip;
        fetch(5);
        stats.instruction(cMovImm);
        regs[dst.ordinal()] = imm;
        retired(Mnemonic.MOV_IMM, at, dst, Reg.NONE, Reg.NONE);
    }

    @Override
    public void alu(Reg dst, Reg src) {
        int at = eip;
        fetch(2);
        stats.instruction(cAlu);
        retired(Mnemonic.ALU, at, dst, src, Reg.NONE);
    }

    @Override
    public void alu(Reg dst, Reg src, int result) {
        int at = eip;
        fetch(2);
        stats.instruction(cAlu);
        regs[dst.ordinal()] = result;
        retired(Mnemonic.ALU, at, dst, src, Reg.NONE);
    }

    @Override
    public void shift(Reg dst) {
        int at = eip;
        fetch(3);
        stats.instruction(cShift);
        retired(Mnemonic.SHIFT, at, dst, Reg.NONE, Reg.NONE);
    }

    @Override
    public void shift(Reg dst, int result) {
        int at = eip;
        fetch(3);
        stats.instruction(cShift);
        regs[dst.ordinal()] = result;
        retired(Mnemonic.SHIFT, at, dst, Reg.NONE, Reg.NONE);
    }

    @Override
    public void div(Reg divisor, int quotient, int remainder) {
        int at = eip;
        fetch(2); // F7 /6: opcode and ModR/M
        stats.instruction(cDiv);
        regs[Reg.EAX.ordinal()] = quotient;
        regs[Reg.EDX.ordinal()] = remainder;
        retired(Mnemonic.DIV, at, divisor, Reg.NONE, Reg.NONE);
    }

    @Override
    public int load(Reg dst, Reg base, int linear) {
        int at = eip;
        fetch(3);
        stats.instruction(cLoad);
        int v = read(linear, userAccess);
        retired(Mnemonic.LOAD, at, dst, base, Reg.NONE);
        return v;
    }

    @Override
    public int load(Reg dst, Reg base, Reg index, int linear) {
        int at = eip;
        fetch(4);
        stats.instruction(cLoad + cIndexed);
        int v = read(linear, userAccess);
        retired(Mnemonic.LOAD, at, dst, base, index);
        return v;
    }

    @Override
    public int loadRegister(Reg dst, Reg base, int linear) {
        int v = load(dst, base, linear);
        regs[dst.ordinal()] = v;
        return v;
    }

    @Override
    public void store(Reg base, int linear, Reg src, int value) {
        int at = eip;
        fetch(3);
        stats.instruction(cStore);
        write(linear, value, userAccess);
        retired(Mnemonic.STORE, at, src, base, Reg.NONE);
    }

    @Override
    public void store(Reg base, Reg index, int linear, Reg src, int value) {
        int at = eip;
        fetch(4);
        stats.instruction(cStore + cIndexed);
        write(linear, value, userAccess);
        retired(Mnemonic.STORE, at, src, base, index);
    }

    @Override
    public int compare(Reg r, Reg base, int linear) {
        int at = eip;
        fetch(3);
        stats.instruction(cCmpMem);
        int v = read(linear, userAccess);
        retired(Mnemonic.CMP_MEM, at, r, base, Reg.NONE);
        return v;
    }

    @Override
    public boolean jcc(boolean taken, int target) {
        int at = eip;
        fetch(2);
        if (taken) {
            stats.instruction(cJccTaken);
            eip = target;
            retired(Mnemonic.JCC_TAKEN, at, Reg.NONE, Reg.NONE, Reg.NONE);
        } else {
            stats.instruction(cJccNotTaken);
            retired(Mnemonic.JCC, at, Reg.NONE, Reg.NONE, Reg.NONE);
        }
        return taken;
    }

    @Override
    public void jmp(int target) {
        int at = eip;
        fetch(2);
        stats.instruction(cJmp);
        eip = target;
        retired(Mnemonic.JMP, at, Reg.NONE, Reg.NONE, Reg.NONE);
    }

    @Override
    public void call(int target) {
        int at = eip;
        fetch(5);
        stats.instruction(cCall);
        pushWord(eip, userAccess);
        eip = target;
        retired(Mnemonic.CALL, at, Reg.NONE, Reg.ESP, Reg.NONE);
    }

    @Override
    public void ret() {
        int at = eip;
        fetch(1);
        stats.instruction(cRet);
        eip = popWord(userAccess);
        retired(Mnemonic.RET, at, Reg.NONE, Reg.ESP, Reg.NONE);
    }

    @Override
    public void push(Reg src, int value) {
        int at = eip;
        fetch(1);
        stats.instruction(cPush);
        pushWord(value, userAccess);
        retired(Mnemonic.PUSH, at, src, Reg.ESP, Reg.NONE);
    }

    @Override
    public int pop(Reg dst) {
        int at = eip;
        fetch(1);
        stats.instruction(cPop);
        int v = popWord(userAccess);
        retired(Mnemonic.POP, at, dst, Reg.ESP, Reg.NONE);
        return v;
    }

    @Override
    public void softwareInterrupt(int vector) {
        int at = eip;
        fetch(2);
        enterInterrupt(vector, true);
        retired(Mnemonic.INT, at, Reg.NONE, Reg.ESP, Reg.NONE);
    }

    @Override
    public void hardwareInterrupt(int vector) {
        int at = eip;
        enterInterrupt(vector, false);
        retired(Mnemonic.INTERRUPT, at, Reg.NONE, Reg.ESP, Reg.NONE);
    }

    /**
     * Interrupt entry through an IDT gate. The descriptor-table reads are supervisor accesses even
     * from user mode; from user mode the processor also reads ESP0/SS0 from the TSS and switches to
     * that stack before pushing SS, ESP, EFLAGS, CS and EIP.
     */
    private void enterInterrupt(int vector, boolean software) {
        boolean fromUser = mode == Mode.USER;
        int cost = fromUser ? cIntInner : cIntSame;
        int pushes = fromUser ? STACK_PUSHES_INNER : 3;
        int spread = cost >= pushes ? 1 : 0; // one cycle before each push, taken out of the table cost
        if (software) {
            stats.instruction(cost - pushes * spread);
        } else {
            stats.charge(cost - pushes * spread);
        }
        int gate = idt + (vector << 3);
        int low = read(gate, 0);
        int high = read(gate + 4, 0);
        if (!Descriptors.present(high)) {
            throw new IllegalStateException("interrupt " + vector + " has no present IDT gate");
        }
        if (software && fromUser && Descriptors.gateDpl(high) < 3) {
            throw new IllegalStateException("general protection: INT " + vector + " from user mode to a DPL "
                    + Descriptors.gateDpl(high) + " gate");
        }
        int handlerCs = Descriptors.gateSelector(low);
        if (segments) {
            readDescriptor(handlerCs);
        }
        int oldCs = sregs[Sreg.CS.ordinal()];
        if (fromUser) {
            int oldSs = sregs[Sreg.SS.ordinal()];
            int oldEsp = regs[Reg.ESP.ordinal()];
            int esp0;
            int ss0;
            if (segments) {
                esp0 = read(tss + TSS_ESP0, 0);
                ss0 = read(tss + TSS_SS0, 0);
                readDescriptor(ss0);
            } else {
                if (supervisorStack == 0) {
                    throw new IllegalStateException("interrupt " + vector + " from user mode with no kernel stack: "
                            + "a processor without segments takes it from the last IRET to user mode");
                }
                esp0 = supervisorStack;
                ss0 = oldCs & ~3; // no stack segment to load
            }
            sregs[Sreg.SS.ordinal()] = ss0;
            regs[Reg.ESP.ordinal()] = esp0;
            setMode(Mode.KERNEL);
            stats.charge(spread);
            pushWord(oldSs, 0);
            stats.charge(spread);
            pushWord(oldEsp, 0);
        }
        stats.charge(spread);
        pushWord(EFLAGS_IF, 0);
        stats.charge(spread);
        pushWord(oldCs, 0);
        stats.charge(spread);
        pushWord(eip, 0);
        sregs[Sreg.CS.ordinal()] = handlerCs;
        eip = Descriptors.gateOffset(low, high);
        forgetPrefetch();
    }

    private void readDescriptor(int selector) {
        if ((selector & ~3) != 0) {
            int entry = gdt + (selector & ~7);
            read(entry, 0);
            read(entry + 4, 0);
        }
    }

    @Override
    public void iret() {
        int at = eip;
        fetch(1);
        int newEip = popWord(0);
        int newCs = popWord(0);
        popWord(0); // EFLAGS
        boolean toOuter = (newCs & 3) != 0 && mode == Mode.KERNEL;
        stats.instruction(toOuter ? cIretOuter : cIretSame);
        if (segments) {
            readDescriptor(newCs);
        }
        if (toOuter) {
            int newEsp = popWord(0);
            int newSs = popWord(0);
            if (segments) {
                readDescriptor(newSs);
            }
            if (!segments) {
                supervisorStack = regs[Reg.ESP.ordinal()]; // the frame popped: the kernel stack's top
            }
            regs[Reg.ESP.ordinal()] = newEsp;
            sregs[Sreg.SS.ordinal()] = newSs;
            setMode(Mode.USER);
        }
        sregs[Sreg.CS.ordinal()] = newCs;
        eip = newEip;
        forgetPrefetch();
        retired(Mnemonic.IRET, at, Reg.NONE, Reg.ESP, Reg.NONE);
    }

    @Override
    public void movCr3(int pageDirectory) {
        int at = eip;
        fetch(3);
        stats.instruction(cMovCr3);
        mmu.loadCr3(pageDirectory);
        forgetPrefetch();
        retired(Mnemonic.MOV_CR3, at, Reg.NONE, Reg.NONE, Reg.NONE);
    }

    @Override
    public void invlpg(int linear) {
        int at = eip;
        fetch(3);
        if (!hasInvlpg) {
            throw new InvalidOpcode(Instruction.INVLPG, model.name());
        }
        stats.instruction(cInvlpg);
        mmu.invalidatePage(linear);
        retired(Mnemonic.INVLPG, at, Reg.NONE, Reg.NONE, Reg.NONE);
    }

    @Override
    public void flushTlbTag(int pageDirectory) {
        int at = eip;
        fetch(3);
        if (!hasFlushTag) {
            throw new InvalidOpcode(Instruction.FLUSH_TLB_TAG, model.name());
        }
        stats.instruction(cInvlpg);
        mmu.flushTag(pageDirectory);
        retired(Mnemonic.FLUSH_TLB_TAG, at, Reg.NONE, Reg.NONE, Reg.NONE);
    }

    @Override
    public void loadSegment(Sreg s, int selector) {
        int at = eip;
        fetch(2);
        stats.instruction(cLoadSeg);
        if (segments) {
            readDescriptor(selector);
        }
        sregs[s.ordinal()] = selector;
        retired(Mnemonic.LOAD_SEGMENT, at, Reg.NONE, Reg.NONE, Reg.NONE);
    }

    @Override
    public int readSegment(Sreg s) {
        int at = eip;
        fetch(2);
        stats.instruction(cReadSeg);
        retired(Mnemonic.READ_SEGMENT, at, Reg.NONE, Reg.NONE, Reg.NONE);
        return sregs[s.ordinal()];
    }

    @Override
    public void pushSegment(Sreg s) {
        int at = eip;
        fetch(1);
        stats.instruction(cReadSeg);
        pushWord(sregs[s.ordinal()], userAccess);
        retired(Mnemonic.PUSH, at, Reg.NONE, Reg.ESP, Reg.NONE);
    }

    @Override
    public void popSegment(Sreg s) {
        int at = eip;
        fetch(1);
        stats.instruction(cLoadSeg);
        int selector = popWord(userAccess);
        if (segments) {
            readDescriptor(selector);
        }
        sregs[s.ordinal()] = selector;
        retired(Mnemonic.POP, at, Reg.NONE, Reg.ESP, Reg.NONE);
    }

    @Override
    public void halt() {
        int at = eip;
        fetch(1);
        stats.instruction(cAlu);
        if (timerPeriod <= 0) {
            throw new IllegalStateException("HLT with the timer stopped would wait forever");
        }
        long now = stats.now();
        if (nextTimer > now) {
            stats.charge((int) Math.min(Integer.MAX_VALUE, nextTimer - now));
        }
        retired(Mnemonic.HLT, at, Reg.NONE, Reg.NONE, Reg.NONE);
    }

    @Override
    public void repMovsd(int src, int dst, int dwords) {
        if (dwords < 0) {
            throw new IllegalArgumentException("negative REP MOVSD count " + dwords);
        }
        repMovs(src, dst, dwords, 4, Mnemonic.REP_MOVSD);
    }

    @Override
    public void repMovsb(int src, int dst, int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative REP MOVSB count " + bytes);
        }
        repMovs(src, dst, bytes, 1, Mnemonic.REP_MOVSB);
    }

    /**
     * REP MOVS of {@code count} items of {@code width} bytes (4: MOVSD, 1: MOVSB): each item read and
     * written through the MMU and the cache at its real addresses, the cache seeing the dword that
     * holds it ({@link ProcessorCore#moveItems}). ESI, EDI and ECX advance as the real instruction
     * leaves them.
     */
    private void repMovs(int src, int dst, int count, int width, Mnemonic op) {
        int at = eip;
        fetch(2);
        stats.instruction(cRepStartup);
        regs[Reg.ESI.ordinal()] = src;
        regs[Reg.EDI.ordinal()] = dst;
        regs[Reg.ECX.ordinal()] = count;
        moveItems(count, width, cRepPerItem);
        retired(op, at, Reg.NONE, Reg.ESI, Reg.EDI);
    }

    @Override
    public void flushCache() {
        int at = eip;
        fetch(2);
        if (!hasWbinvd) {
            throw new InvalidOpcode(Instruction.WBINVD, model.name());
        }
        stats.instruction(cFlush);
        cache.flush();
        forgetPrefetch();
        retired(Mnemonic.WBINVD, at, Reg.NONE, Reg.NONE, Reg.NONE);
    }
}
