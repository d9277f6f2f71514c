package org.l3wb.launcher;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PlainCommandLineTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "hw:processors", "ipc:switches direct=off vtcb=on", "lab:pingpong --size 512 --rounds 10",
        "lab:report --out /tmp/my-report_1.2", "ipc:use 'ports'", "lab:report --out 'a dir > b; $x'",
        "ipc:switches \"direct=off\"", "lb", "", "  hw:use   i486dx33  ", "hw:info --format json"})
    void plainLinesPass(String line) {
        assertNull(PlainCommandLine.refusal(line), line);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '@', value = {
        "hw:processors > out.txt@'>'", "hw:processors >> out.txt@'>>'", "hw:use < in@'<'",
        "hw:processors | grep x@'|'", "a ; b@';'", "a & b@'&'", "x=5@'='", "ipc:switches =off@'='",
        "ipc:use $x@'$'", "ipc:use \"$x\"@'$'", "ipc:use \"a\\b\"@'\\'", "each {a}@'{'", "ipc:use (x)@'('",
        "ipc:use [a]@'['", "ipc:use #x@'#'", "ipc:use *@'*'", "ipc:use ~@'~'", "ipc:use 'x@quote",
        "'hw:use' x@quoted command name"})
    void gogoSyntaxIsRefusedByName(String line, String named) {
        String refusal = PlainCommandLine.refusal(line);
        assertNotNull(refusal, line);
        assertTrue(refusal.contains(named), refusal);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ipc:use ports\nipc:use dash", "hw:processors\r"})
    void aNewlineIsRefused(String line) {
        assertTrue(PlainCommandLine.refusal(line).contains("newline"));
    }
}
