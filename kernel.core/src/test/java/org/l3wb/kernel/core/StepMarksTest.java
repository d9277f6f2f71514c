package org.l3wb.kernel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.CodeStep;
import org.l3wb.hw.api.Mnemonic;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.api.TraceListener;
import org.l3wb.hw.cache.CacheFactoryComponent;
import org.l3wb.hw.cpu486.MachineFactoryComponent;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.hw.mmu.MmuFactoryComponent;
import org.l3wb.kernel.api.IpcMechanism;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.KernelStep;
import org.l3wb.kernel.api.Nucleus;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.sched.LazyScheduler;

/**
 * The nucleus marks the steps of its path for a trace: the user stub's INT enters the kernel, the
 * segment check and uid to TCB follow, the IRET returns to user, and the user's own instructions after
 * it are tagged {@link KernelStep#USER}.
 */
class StepMarksTest {
    /** Looks the destination up, answers OK. */
    static final class LookupAndReturn implements IpcMechanism {
        @Override
        public String name() {
            return "lookup";
        }

        @Override
        public void ipc(KernelContext k, IpcOperation operation) {
            Processor cpu = k.cpu();
            k.lookup(cpu.reg(Reg.EDX), cpu.reg(Reg.ESI));
            cpu.movImm(Reg.EAX, ResultCode.OK.code());
            k.returnToUser();
        }

        @Override
        public void resumeTransfer(KernelContext k) {
            throw new AssertionError("no transfers here");
        }
    }

    /** Each retired instruction with the step it belongs to. */
    static final class Steps implements TraceListener {
        final List<String> retired = new ArrayList<>();
        private CodeStep step;

        @Override
        public void step(CodeStep next) {
            step = next;
        }

        @Override
        public void retired(Mnemonic op, int at, Reg reg, Reg base, Reg index) {
            retired.add(step + " " + op);
        }
    }

    private static List<String> trace(Switches switches) {
        KernelComponent kernel = new KernelComponent();
        kernel.addScheduler(new LazyScheduler());
        kernel.addMechanism(new LookupAndReturn());
        Nucleus n = kernel.boot(new MachineFactoryComponent(new MmuFactoryComponent(), new CacheFactoryComponent())
                .create(StandardModels.i486dx50()), switches, "lookup", "lazy");
        int[] calls = new int[1];
        List<ResultCode> results = new ArrayList<>();
        n.createThread(n.createTask(), u -> {
            if (calls[0]++ > 0) {
                results.add(u.result());
            }
            if (calls[0] > 3) {
                u.exit();
            } else {
                u.ipc(IpcOperation.SEND, u.self(), 1, 0, 0, 0, 0);
            }
        });
        // a trace from the start (marks are kept only while one is on); the first call is left out
        Steps steps = new Steps();
        n.machine().cpu().trace(steps);
        assertTrue(n.run(() -> calls[0] > 1, 10_000_000L));
        steps.retired.clear();
        assertTrue(n.run(() -> calls[0] > 3, 10_000_000L));
        n.machine().cpu().trace(null);
        assertEquals(List.of(ResultCode.OK, ResultCode.OK, ResultCode.OK), results);
        return steps.retired;
    }

    @Test
    void theTrapPathIsMarkedStepByStep() {
        List<String> t = trace(Switches.ALL_ON);
        assertTrue(t.contains("ENTER_KERNEL INT"), t.toString());
        assertTrue(t.contains("SEGMENT_CHECK READ_SEGMENT"), t.toString());
        assertTrue(t.contains("UID_TO_TCB ALU"), t.toString());
        assertTrue(t.contains("UID_TO_TCB CMP_MEM"), t.toString());
        assertTrue(t.contains("RETURN_TO_USER IRET"), t.toString());
        // the stub's instructions are the user's: the loop's JMP back to the stub, MOV r, imm for the
        // registers of Table 6 (the call); the instruction after the kernel's IRET is the user's
        assertEquals(List.of("USER JMP", "USER MOV_IMM"), t.subList(0, 2), t.toString());
        int iret = t.indexOf("RETURN_TO_USER IRET");
        assertEquals("USER JMP", t.get(iret + 1), t.toString());
        // exit: the thread deleted, the next one chosen, the switch to the idle thread
        assertTrue(t.contains("SET_UP STORE"), t.toString());
        assertTrue(t.contains("SCHEDULE LOAD"), t.toString());
        assertTrue(t.contains("SWITCH_ADDRESS_SPACE MOV_CR3"), t.toString());
        assertEquals("SWITCH_THREAD MOV_IMM", t.get(t.size() - 1), "the idle loop's stack afresh");
        assertTrue(t.stream().noneMatch(s -> s.startsWith("null ")), "every instruction has a step: " + t);
        for (String s : t) {
            if (s.endsWith(" INT")) {
                assertEquals("ENTER_KERNEL INT", s);
            }
            if (s.endsWith(" IRET")) {
                assertTrue(s.startsWith("RETURN_TO_USER") || s.startsWith("CLOCK") || s.startsWith("PAGE_FAULT"), s);
            }
        }
    }

    @Test
    void withoutVirtualTcbsUidToTcbIsTheTableLookup() {
        List<String> t = trace(Switches.allBut(Switch.VIRTUAL_TCB));
        assertTrue(t.contains("UID_TO_TCB SHIFT"), t.toString());
        assertTrue(t.contains("UID_TO_TCB LOAD"), t.toString());
    }
}
