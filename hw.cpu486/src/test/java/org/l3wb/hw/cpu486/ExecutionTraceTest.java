package org.l3wb.hw.cpu486;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.CodeStep;
import org.l3wb.hw.api.Mnemonic;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.api.TraceListener;

/** The trace of execution: what the machine reports, in order, and that reporting changes no cycle. */
class ExecutionTraceTest {
    enum Steps implements CodeStep {
        FIRST, SECOND;

        @Override
        public String label() {
            return name().toLowerCase();
        }
    }

    /** Records events as lines, with the clock at each retirement. */
    static final class Recorder implements TraceListener {
        final List<String> events = new ArrayList<>();
        final FlatSystem sys;

        Recorder(FlatSystem sys) {
            this.sys = sys;
        }

        @Override
        public void step(CodeStep step) {
            events.add("step " + step.label());
        }

        @Override
        public void access(int linear, int kind) {
            events.add("access " + Integer.toHexString(linear) + " " + kind);
        }

        @Override
        public void tlbMiss(int cycles) {
            events.add("tlb miss " + cycles);
        }

        @Override
        public void lineFill(int cycles, boolean fromExternalCache) {
            events.add("fill " + cycles + (fromExternalCache ? " external" : " memory"));
        }

        @Override
        public void writeStall(int cycles) {
            events.add("stall " + cycles);
        }

        @Override
        public void retired(Mnemonic op, int at, Reg reg, Reg base, Reg index) {
            events.add("retired " + op + " " + reg + " " + base + " " + index + " @" + sys.cycles());
        }
    }

    /** A few instructions touching code, data and the stack, each step marked. */
    private static void program(Processor cpu) {
        cpu.jumpTo(FlatSystem.KERNEL_CODE);
        cpu.setReg(Reg.ESP, FlatSystem.KERNEL_STACK_TOP);
        int d = FlatSystem.KERNEL_DATA;
        cpu.step(Steps.FIRST);
        cpu.movImm(Reg.EAX, 7);
        cpu.store(Reg.EBX, d, Reg.EAX, 5);
        cpu.load(Reg.ECX, Reg.EBX, Reg.ESI, d + 0x40);
        CodeStep outer = cpu.step(Steps.SECOND); // FIRST while a trace is on, null (not kept) while off
        cpu.jcc(cpu.load(Reg.EDX, Reg.EBX, d) == 5);
        cpu.push(Reg.EAX, 1);
        cpu.pop(Reg.EAX);
        cpu.step(outer);
        cpu.repMovsd(d, d + 0x100, 4);
    }

    @Test
    void tracingChangesNoCycle() {
        FlatSystem plain = new FlatSystem();
        program(plain.cpu);
        FlatSystem traced = new FlatSystem();
        traced.cpu.trace(new Recorder(traced));
        program(traced.cpu);
        assertEquals(plain.cycles(), traced.cycles());
        assertEquals(plain.machine.statistics().toString(), traced.machine.statistics().toString());
    }

    @Test
    void eachInstructionReportsItsAccessesMissesAndOperandsThenRetires() {
        FlatSystem sys = new FlatSystem();
        Recorder r = new Recorder(sys);
        sys.cpu.trace(r);
        program(sys.cpu);
        List<String> e = r.events;
        assertEquals("step first", e.get(0));
        // the first instruction fetches its line (booting left code page and line in TLB and cache)
        assertEquals("access c0000000 " + TraceListener.FETCH, e.get(1));
        int firstRetired = indexOf(e, "retired MOV_IMM EAX NONE NONE");
        assertEquals(2, firstRetired);
        // the store's first touch of the data page: a TLB miss, then the line fill, reported after its access
        int write = e.indexOf("access c0004000 " + TraceListener.WRITE);
        assertEquals("tlb miss " + sys.cpu.model().costs().tlbMiss(), e.get(write + 1));
        assertTrue(e.get(write + 2).startsWith("fill "), e.toString());
        assertTrue(e.stream().anyMatch(s -> s.startsWith("retired STORE EAX EBX NONE")), e.toString());
        assertTrue(e.stream().anyMatch(s -> s.startsWith("retired LOAD ECX EBX ESI")), e.toString());
        assertTrue(e.stream().anyMatch(s -> s.startsWith("retired JCC_TAKEN NONE NONE NONE")), e.toString());
        assertTrue(e.stream().anyMatch(s -> s.startsWith("retired REP_MOVSD NONE ESI EDI")), e.toString());
        // the store's data access is a write at its address, reported before it retires
        int store = indexOf(e, "retired STORE");
        assertTrue(e.subList(firstRetired, store).contains("access c0004000 " + TraceListener.WRITE), e.toString());
        // marks in order, the nested one restored
        List<String> steps = e.stream().filter(s -> s.startsWith("step ")).toList();
        assertEquals(List.of("step first", "step second", "step first"), steps);
        // REP MOVSD reports a read and a write per dword
        int movs = indexOf(e, "retired REP_MOVSD");
        long reads = e.subList(indexOf(e, "retired POP"), movs).stream().filter(s -> s.endsWith(" " + TraceListener.READ))
                .count();
        assertEquals(4, reads);
        // the clock at the last retirement is the machine's
        assertTrue(e.get(movs).endsWith("@" + sys.cycles()), e.get(movs));
    }

    @Test
    void offMeansNoReport() {
        FlatSystem sys = new FlatSystem();
        Recorder r = new Recorder(sys);
        sys.cpu.trace(r);
        sys.cpu.trace(null);
        program(sys.cpu);
        assertEquals(List.of(), r.events);
        assertNull(sys.cpu.step(), "marks are not kept with the trace off: free when off");
    }

    @Test
    void aTraceKnowsTheMarksMadeSinceItStartedAndKeepsThemAcrossListeners() {
        FlatSystem sys = new FlatSystem();
        Processor cpu = sys.cpu;
        assertNull(cpu.step(Steps.FIRST), "off: nothing kept, nothing returned");
        Recorder first = new Recorder(sys);
        cpu.trace(first);
        assertNull(cpu.step(), "a mark made while off is not known to a trace started after it");
        assertNull(cpu.step(Steps.SECOND));
        Recorder second = new Recorder(sys);
        cpu.trace(second);
        assertEquals(List.of("step second"), second.events, "the next listener is told the current mark");
        assertSame(Steps.SECOND, cpu.step(Steps.FIRST), "the nested mark returns the one to restore");
        cpu.trace(null);
        cpu.trace(first);
        assertNull(cpu.step(), "a trace stopped and started again knows no mark until the next");
    }

    private static int indexOf(List<String> events, String prefix) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no " + prefix + " in " + events);
    }
}
