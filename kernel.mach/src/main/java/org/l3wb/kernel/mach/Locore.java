package org.l3wb.kernel.mach;

import static org.l3wb.kernel.mach.MachData.G_ACTIVE_THREADS;
import static org.l3wb.kernel.mach.MachData.G_KERNEL_STACK;
import static org.l3wb.kernel.mach.MachData.G_TRAP_COUNT;
import static org.l3wb.kernel.mach.MachData.KERNEL_DS;
import static org.l3wb.kernel.mach.MachData.MACH_MSG_TRAP;
import static org.l3wb.kernel.mach.MachData.MACH_RCV_MSG;
import static org.l3wb.kernel.mach.MachData.MACH_SEND_MSG;
import static org.l3wb.kernel.mach.MachData.TK_EMUL;
import static org.l3wb.kernel.mach.MachData.TRAP_ENTRY;
import static org.l3wb.kernel.mach.MachData.TRAP_TABLE;
import static org.l3wb.kernel.mach.MachData.T_TASK;
import static org.l3wb.kernel.mach.MachData.Z_AST;

import org.l3wb.hw.api.CodeStep;
import org.l3wb.hw.api.PageFault;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.api.Sreg;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Tcb;

/**
 * The general trap path of {@code i386/locore.s} around every Mach system call ({@code syscall},
 * {@code mach_call_call}, {@code _return_from_trap}, {@code thread_syscall_return},
 * {@code call_continuation}) and {@code mach_msg_trap}'s dispatch on its option ({@code ipc/mach_msg.c}):
 * the separate send and receive traps take its general path, not the combined RPC fast path (readme,
 * "The modelled path", 1 and 2).
 */
final class Locore {
    /** The general registers in the saved state, in PUSH order. */
    private static final Reg[] SAVED = {Reg.EAX, Reg.EBX, Reg.ECX, Reg.EDX, Reg.ESI, Reg.EDI, Reg.EBP};
    /** Words locore pushes below the general registers: PUSHF, the trap number, the trap slot. */
    private static final int TRAP_SLOTS = 3;
    /** The saved state above the general registers: 4 segment registers and the 5-word IRET frame. */
    private static final int FRAME_ABOVE_GPRS = (4 + 5) * 4;
    /** The saved state's size, from the kernel stack's top. */
    static final int SAVED_STATE = FRAME_ABOVE_GPRS + SAVED.length * 4 + TRAP_SLOTS * 4;

    private Locore() {
    }

    /**
     * locore.s {@code syscall}: PUSHF, trap number, trap slot; PUSHA and the segment registers (unless the
     * nucleus saved them); kernel DS and ES; the call gate's frame shuffled; the kernel stack; the emulation
     * vector through the current thread's task; trap number range and table; the munger's argument copy;
     * CALL *handler (into {@link #msgTrapSend} or {@link #msgTrapReceive}).
     */
    static void syscall(Trap t, boolean saveSegments) {
        syscall(t, saveSegments, MACH_MSG_TRAP);
    }

    /**
     * As {@link #syscall(Trap, boolean)}, for Mach trap {@code trap} (its number negated in EAX, the index
     * in mach_trap_table): a trap without arguments skips the copy ({@code JECXZ mach_call_call}).
     */
    static void syscall(Trap t, boolean saveSegments, int trap) {
        Processor cpu = t.cpu;
        int g = t.globals;
        cpu.jumpTo(t.at(Routine.SYSCALL)); // the trap's gate leads to locore's syscall (the INT is charged)
        t.trapped(Routine.SYSCALL);
        if (!t.k.features().segments()) {
            // a processor without segments (7.4) has no segment registers to save: the saved state keeps
            // its four slots (SUB ESP, 16), so that its layout is the i386's
            cpu.alu(Reg.ESP, Reg.NONE, cpu.reg(Reg.ESP) - 16);
        } else if (saveSegments) {
            cpu.pushSegment(Sreg.DS);
            cpu.pushSegment(Sreg.ES);
            cpu.pushSegment(Sreg.FS);
            cpu.pushSegment(Sreg.GS);
            cpu.readSegment(Sreg.SS); // MOV DX, SS
            cpu.loadSegment(Sreg.DS, KERNEL_DS);
            cpu.loadSegment(Sreg.ES, KERNEL_DS);
        }
        for (Reg r : SAVED) {
            cpu.push(r, cpu.reg(r)); // PUSHA-equivalent into the saved state
        }
        cpu.push(Reg.NONE, 0); // PUSHF (the call gate does not save the flags)
        cpu.push(Reg.EAX, cpu.reg(Reg.EAX)); // the system call number
        cpu.push(Reg.NONE, 0); // PUSHL $0: the trap number slot
        int frame = cpu.reg(Reg.ESP);
        // shuffle EFLAGS, EIP, CS into their places (a call gate pushes CS:EIP only)
        int iret = frame + TRAP_SLOTS * 4 + SAVED.length * 4 + 4 * 4;
        int eip = cpu.load(Reg.EAX, Reg.ESP, iret);
        int cs = cpu.load(Reg.ECX, Reg.ESP, iret + 4);
        int flags = cpu.load(Reg.EDX, Reg.ESP, iret + 8);
        cpu.store(Reg.ESP, iret, Reg.EAX, eip);
        cpu.store(Reg.ESP, iret + 4, Reg.ECX, cs);
        cpu.store(Reg.ESP, iret + 8, Reg.EDX, flags);
        // the kernel stack: MOVL kernel_stack, %ebx; XCHGL %ebx, %esp
        cpu.load(Reg.EBX, Reg.NONE, g + G_KERNEL_STACK);
        cpu.alu(Reg.EBX, Reg.ESP);
        // the emulation vector: active_threads -> task -> eml_dispatch
        int current = cpu.load(Reg.EDX, Reg.NONE, g + G_ACTIVE_THREADS);
        int task = cpu.load(Reg.EDX, Reg.EDX, t.thread + T_TASK);
        int emul = cpu.load(Reg.EDX, Reg.EDX, task + TK_EMUL);
        cpu.alu(Reg.EDX, Reg.EDX); // ORL %edx, %edx
        cpu.jcc(emul == 0); // JE syscall_native, over the emulation code (the usual case: no emulation)
        if (current != t.thread) {
            cpu.store(Reg.NONE, g + G_ACTIVE_THREADS, Reg.ECX, t.thread); // (kept by switch_context in Mach)
        }
        // syscall_native: NEGL; JL; CMPL trap count; JG; SHLL $4
        cpu.alu(Reg.EAX, Reg.NONE);
        cpu.jcc(false);
        cpu.compare(Reg.EAX, Reg.NONE, g + G_TRAP_COUNT);
        cpu.jcc(false);
        cpu.shift(Reg.EAX, trap * TRAP_ENTRY);
        int entry = t.data + TRAP_TABLE + trap * TRAP_ENTRY;
        int args = cpu.load(Reg.ECX, Reg.NONE, Reg.EAX, entry); // MOVL _mach_trap_table(%eax), %ecx
        if (!cpu.jcc(args == 0)) { // JECXZ mach_call_call
            copyArguments(t, args, iret);
        }
        int handler = cpu.load(Reg.EAX, Reg.NONE, Reg.EAX, entry + 4);
        cpu.call(handler); // CALL *_mach_trap_table+4(%eax)
    }

    /** The trap's arguments from the user stack onto the kernel stack (syscall's copy loop). */
    private static void copyArguments(Trap t, int args, int iret) {
        Processor cpu = t.cpu;
        // the arguments from the user stack (user ESP in the IRET frame): bounds, then SUB; PUSH (%esi); LOOP
        int userEsp = cpu.load(Reg.ESI, Reg.EBX, iret + 12);
        cpu.alu(Reg.EDX, Reg.ESI); // LEA 4(%esi,%ecx,4), %edx
        cpu.alu(Reg.EDX, Reg.NONE); // CMPL $VM_MAX_ADDRESS, %edx
        cpu.jcc(false);
        cpu.alu(Reg.EDX, Reg.ESP); // MOVL %esp, %edx
        int loop = cpu.eip();
        for (int i = args - 1; i >= 0; i--) {
            cpu.alu(Reg.ESI, Reg.NONE); // SUBL $4, %esi
            int word = loadUser(t, userEsp + 4 + 4 * i);
            cpu.push(Reg.EAX, word);
            cpu.jcc(i > 0, loop); // LOOP
        }
    }

    /** A user load on the trap path (PUSH (%esi)); a fault leaves the argument 0 (Mach's copyin would fail the call). */
    private static int loadUser(Trap t, int linear) {
        try {
            return t.cpu.load(Reg.EAX, Reg.ESI, linear);
        } catch (PageFault f) {
            return 0;
        }
    }

    /** mach_msg_trap's entry, its frame and its dispatch on the option (not the combined SEND|RCV fast path). */
    private static CodeStep msgTrapEntry(Trap t, int option) {
        Processor cpu = t.cpu;
        CodeStep caller = cpu.step(Routine.MSG_TRAP); // called by syscall's CALL *handler
        t.prologue(Routine.MSG_TRAP);
        cpu.alu(Reg.EAX, Reg.NONE); // CMPL $(MACH_SEND_MSG|MACH_RCV_MSG), option
        cpu.jcc(true); // JNE: not the RPC fast path
        cpu.alu(Reg.EAX, Reg.NONE); // TESTL $MACH_SEND_MSG, option
        if (cpu.jcc((option & MACH_SEND_MSG) == 0)) {
            cpu.alu(Reg.EAX, Reg.NONE); // TESTL $MACH_RCV_MSG, option
            cpu.jcc(false);
        }
        return caller;
    }

    /** mach_msg_trap(MACH_SEND_MSG): mach_msg_send, its result tested, the receive option tested, return. */
    static int msgTrapSend(Trap t) {
        Processor cpu = t.cpu;
        CodeStep caller = msgTrapEntry(t, MACH_SEND_MSG);
        int result = MsgSend.send(t);
        cpu.alu(Reg.EAX, Reg.EAX); // TESTL %eax, %eax
        boolean failed = result != ResultCode.OK.code() && result != ResultCode.MESSAGE_CUT.code();
        if (!cpu.jcc(failed)) {
            cpu.alu(Reg.EAX, Reg.NONE); // TESTL $MACH_RCV_MSG, option
            cpu.jcc(true);
        }
        t.leave(caller, false); // mach_call_call reloads ESP instead of dropping the arguments
        return result;
    }

    /**
     * mach_msg_trap(MACH_RCV_MSG) on the port whose name the thread keeps at {@code nameField}:
     * mach_msg_receive, its result tested, return.
     *
     * @return the receiver's registers (EAX .. ESI), null when the thread blocked (the nucleus runs the next)
     */
    static int[] msgTrapReceive(Trap t, int nameField) {
        Processor cpu = t.cpu;
        CodeStep caller = msgTrapEntry(t, MACH_RCV_MSG);
        int name = cpu.load(Reg.EDX, Reg.EDI, t.thread + nameField);
        int[] results = MsgReceive.receive(t, name);
        if (results == null) {
            return null;
        }
        cpu.alu(Reg.EAX, Reg.EAX); // TESTL %eax, %eax
        cpu.jcc(true);
        t.leave(caller, false);
        return results;
    }

    /**
     * Return from the trap ({@code mach_call_call} and {@code _return_from_trap}): the PCB stack pointer
     * reloaded from the kernel stack (or, in a continuation, by {@code thread_syscall_return}), the results
     * stored into the saved state (EAX, EBX, ... as Table 6 returns them), the AST compared, all registers
     * and segments restored; the nucleus's IRET.
     */
    static void returnFromTrap(Trap t, boolean continuation, int... results) {
        Processor cpu = t.cpu;
        int me = t.k.current(); // the current thread as the nucleus finds it (its kernel stack's TCB)
        int top = cpu.load(Reg.ESP, Reg.ECX, me + Tcb.STACK_TOP); // MOVL -3-IKS_SIZE(%ecx), %esp
        if (!continuation) {
            cpu.alu(Reg.ECX, Reg.ESP); // MOVL %esp, %ecx
            cpu.alu(Reg.ECX, Reg.NONE); // ORL $(KERNEL_STACK_SIZE-1), %ecx
        }
        cpu.alu(Reg.ESP, Reg.NONE, top - SAVED_STATE);
        int base = cpu.reg(Reg.ESP) + TRAP_SLOTS * 4;
        for (int i = 0; i < results.length; i++) {
            cpu.store(Reg.ESP, base + 4 * (SAVED.length - 1 - i), SAVED[i], results[i]); // saved EAX .. ESI
        }
        cpu.jmp(t.at(Routine.RETURN_FROM_TRAP)); // JMP _return_from_trap
        cpu.step(Routine.RETURN_FROM_TRAP);
        int ast = cpu.compare(Reg.NONE, Reg.NONE, t.globals + Z_AST); // CMPL $0, need_ast
        cpu.jcc(ast == 0, cpu.eip() + 2 + 12); // JZ _return_to_user, over the AST call
        cpu.alu(Reg.ESP, Reg.NONE, base); // the trap slots: ADDL $8, %esp and the flags (IRET restores them)
        for (int i = SAVED.length - 1; i >= 0; i--) {
            cpu.setReg(SAVED[i], cpu.pop(SAVED[i]));
        }
        if (!t.k.features().segments()) {
            cpu.alu(Reg.ESP, Reg.NONE, cpu.reg(Reg.ESP) + 16); // ADD ESP, 16: the unused segment slots (7.4)
        } else if (t.k.switches().isOn(Switch.SEGMENT_REGISTERS)) {
            cpu.popSegment(Sreg.GS);
            cpu.popSegment(Sreg.FS);
            cpu.popSegment(Sreg.ES);
            cpu.popSegment(Sreg.DS);
        }
        t.handBack();
        t.k.returnToUser(); // pops the segments itself when the nucleus saved them; IRET
    }

    /** thread_syscall_return(mr): the result loaded, ESP to the PCB stack, then the return from trap. */
    static void syscallReturn(Trap t, int... results) {
        Processor cpu = t.cpu;
        cpu.push(Reg.EAX, results[0]);
        cpu.call(t.at(Routine.SYSCALL_RETURN));
        cpu.step(Routine.SYSCALL_RETURN); // it does not return: the continuation's frames are given up
        cpu.load(Reg.EAX, Reg.ESP, cpu.reg(Reg.ESP) + 4); // MOVL S_ARG0, %eax
        cpu.alu(Reg.ECX, Reg.ESP); // MOVL %esp, %ecx
        cpu.alu(Reg.ECX, Reg.NONE); // ORL $(KERNEL_STACK_SIZE-1), %ecx
        returnFromTrap(t, true, results);
    }

    /**
     * call_continuation: a thread woken with a continuation resumes on a fresh kernel stack: the
     * continuation loaded, ESP to the stack's base, EBP cleared, JMP *%eax (to mach_msg_receive_continue).
     */
    static void callContinuation(Trap t) {
        Processor cpu = t.cpu;
        cpu.call(t.at(Routine.CALL_CONTINUATION));
        t.trapped(Routine.CALL_CONTINUATION);
        cpu.load(Reg.EAX, Reg.ESP, cpu.reg(Reg.ESP) + 4);
        cpu.alu(Reg.ECX, Reg.ESP); // MOVL %esp, %ecx
        cpu.alu(Reg.ECX, Reg.NONE); // ORL $(KERNEL_STACK_SIZE-1), %ecx
        cpu.alu(Reg.ECX, Reg.NONE); // ADDL $(-3-IKS_SIZE), %ecx
        int top = cpu.load(Reg.ECX, Reg.ECX, t.me + Tcb.STACK_TOP);
        cpu.alu(Reg.ESP, Reg.ECX, top - SAVED_STATE); // MOVL %ecx, %esp
        cpu.alu(Reg.EBP, Reg.EBP); // XORL %ebp, %ebp
        cpu.jmp(t.at(Routine.RECEIVE_CONTINUE)); // JMP *%eax
    }
}
