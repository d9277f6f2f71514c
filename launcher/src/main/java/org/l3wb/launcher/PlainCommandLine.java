package org.l3wb.launcher;

/**
 * Batch mode's rule that one argument is one plain command line: a command name and its arguments,
 * nothing Gogo would read as anything else.
 * <p>
 * Gogo's language gives many characters a meaning: {@code >} and {@code >>} redirect (and truncate the
 * file even when the command then fails), {@code |} pipes, {@code ;}, {@code &} and a newline separate
 * statements, {@code NAME=value} and {@code NAME =value} assign a session variable (shadowing the
 * command of that name for the rest of the run), {@code $} expands, {@code {…}} is a closure,
 * {@code (…)} runs a command, {@code […]} is a list or map, {@code #} starts a comment, {@code \}
 * escapes, {@code * ?} glob and {@code ~} is the home folder. Instead of honouring a part of that
 * (half a shell, behind the real one), a line is checked before anything runs and refused, naming the
 * construct, unless every word is plain: letters, digits and {@code _ - . : / , + @ % =} (an {@code =}
 * not in the command name and not at the start of a word), or a quoted string. A single-quoted string
 * is literal in Gogo; a double-quoted one too as long as it holds no {@code $} or {@code \}. So anything
 * may still be passed literally by quoting it: {@code 'lab:report --out "my dir"'}.
 */
final class PlainCommandLine {
    private PlainCommandLine() {
    }

    /** Characters a word may hold unquoted beside letters and digits. */
    private static final String PLAIN = "_-.:/,+@%=";

    /**
     * @return {@code null} when {@code line} is one plain command line, otherwise why not, in words
     *         naming the construct (one line, for an {@code error:} line)
     */
    static String refusal(String line) {
        int word = 0; // index of the current word, -1 between words
        boolean inWord = false;
        int wordStart = 0;
        int words = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\n' || c == '\r') {
                return "a newline: one argument is one command line (pass each command as an argument of its own)";
            }
            if (c == ' ' || c == '\t') {
                inWord = false;
                continue;
            }
            if (!inWord) {
                inWord = true;
                wordStart = i;
                word = words++;
            }
            if (c == '\'' || c == '"') {
                int end = line.indexOf(c, i + 1);
                if (end < 0) {
                    return "an unterminated " + (c == '\'' ? "single" : "double") + " quote";
                }
                if (c == '"') {
                    String inside = line.substring(i + 1, end);
                    if (inside.indexOf('$') >= 0) {
                        return construct("$", "expansion") + " inside double quotes (use single quotes)";
                    }
                    if (inside.indexOf('\\') >= 0) {
                        return construct("\\", "an escape") + " inside double quotes (use single quotes)";
                    }
                }
                if (word == 0) {
                    return "a quoted command name";
                }
                i = end;
                continue;
            }
            if (c == '=') {
                if (word == 0 || i == wordStart) {
                    return construct("=", "an assignment");
                }
                continue;
            }
            if (Character.isLetterOrDigit(c) || PLAIN.indexOf(c) >= 0) {
                continue;
            }
            return switch (c) {
                case '>' -> construct(line.startsWith(">>", i) ? ">>" : ">", "a redirection");
                case '<' -> construct("<", "a redirection");
                case '|' -> construct(line.startsWith("||", i) ? "||" : "|", "a pipe");
                case ';' -> construct(";", "a second statement");
                case '&' -> construct(line.startsWith("&&", i) ? "&&" : "&", "a second statement");
                case '$' -> construct("$", "expansion");
                case '{', '}' -> construct(String.valueOf(c), "a closure");
                case '(', ')' -> construct(String.valueOf(c), "a sub-command");
                case '[', ']' -> construct(String.valueOf(c), "a list or map");
                case '#' -> construct("#", "a comment");
                case '\\' -> construct("\\", "an escape");
                case '*', '?' -> construct(String.valueOf(c), "a file name pattern");
                case '~' -> construct("~", "the home folder");
                default -> construct(String.valueOf(c), "not a plain word character");
            };
        }
        return null;
    }

    private static String construct(String chars, String what) {
        return "'" + chars + "' (" + what + ")";
    }
}
