package org.l3wb.lab.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.CodeStep;
import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.Mode;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.kernel.api.KernelLayout;
import org.l3wb.kernel.api.KernelStep;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.api.Tcb;
import org.l3wb.lab.ipc.Lab;
import org.l3wb.lab.ipc.PingPong;

/**
 * The recorder with step marks as the kernels will set them (a step, a nested one, the outer one
 * restored): every instruction carries the step marked before it, subtotals follow the steps in order
 * of first appearance, cycles add up to the clock's advance, pages and threads come from the kernel's
 * layout (ESP masked names the thread whose kernel stack is current).
 */
class RecorderTest {
    @Test
    void instructionsCarryTheStepMarkedBeforeThem() {
        PingPong.Config c = new PingPong.Config(StandardModels.i486dx50(), "l3", "lazy", Switches.ALL_ON, 8, 1, false);
        PingPong.Session session = Lab.pingPong().start(c);
        session.rounds(PingPong.WARM_UP_ROUNDS);
        Machine machine = session.machine();
        Processor cpu = machine.cpu();
        KernelLayout layout = session.nucleus().layout();
        int tcbA = layout.tcbArray() + session.client().threadNumber() * Tcb.SIZE;
        int tcbB = layout.tcbArray() + session.server().threadNumber() * Tcb.SIZE;
        Recorder recorder = new Recorder(machine, new Pages(session, "l3"));
        long before = machine.statistics().now();
        cpu.setMode(Mode.KERNEL); // as after an INT: kernel code on A's kernel stack
        cpu.setReg(Reg.ESP, tcbA + Tcb.SIZE - 20);
        cpu.trace(recorder);
        cpu.step(KernelStep.CHECK_PARTNER);
        cpu.load(Reg.EAX, Reg.EBP, tcbB + Tcb.STATE);
        CodeStep outer = cpu.step(KernelStep.UID_TO_TCB);
        cpu.alu(Reg.EBP, Reg.NONE);
        cpu.step(outer);
        cpu.push(Reg.EAX, 1);
        cpu.step(KernelStep.SWITCH_THREAD);
        cpu.loadRegister(Reg.ESP, Reg.EBP, tcbB + Tcb.STACK_POINTER);
        cpu.setReg(Reg.ESP, tcbB + Tcb.SIZE - 20); // B's stack, whatever its saved pointer held
        cpu.pop(Reg.EAX);
        cpu.trace(null);

        List<TracedInstruction> trace = recorder.rest();
        assertEquals(List.of("check partner", "uid \u2192 TCB", "check partner", "switch thread", "switch thread"),
                trace.stream().map(TracedInstruction::step).toList());
        assertEquals("5.3.2", trace.get(0).source());
        assertEquals("TCB of B", trace.get(0).accesses().get(trace.get(0).accesses().size() - 1).page());
        assertEquals("kernel stack of A", trace.get(2).accesses().get(trace.get(2).accesses().size() - 1).page());
        // the MOV that loads ESP retires before the register is written (X86Processor.loadRegister): it is
        // the old thread's last instruction, as the kernel's switchTo runs it on the old stack
        assertEquals(List.of("A", "A", "A", "A", "B"), trace.stream().map(TracedInstruction::thread).toList(),
                "the thread whose kernel stack ESP is in");
        assertEquals(machine.statistics().now() - before, trace.stream().mapToLong(TracedInstruction::cycles).sum());
        assertTrue(trace.stream().allMatch(i -> i.cycles() > 0));

        StepProfile p = new StepProfile(c, StepProfile.Ipc.CALL, trace);
        assertEquals(List.of("check partner", "uid \u2192 TCB", "switch thread"),
                p.steps().stream().map(StepProfile.Step::label).toList());
        assertEquals(List.of(2L, 1L, 2L), p.steps().stream().map(StepProfile.Step::instructions).toList());
        assertEquals(machine.statistics().now() - before, p.cycles());
    }
}
