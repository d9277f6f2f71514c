package org.l3wb.launcher;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.SynchronousConfigurationListener;

/**
 * One warning line on stderr per bad file in {@code plugins/}, and nothing left of it in Config Admin.
 * <p>
 * FileInstall logs through java.util.logging's {@value #LOGGER} logger
 * ({@code felix.fileinstall.log.default=jul}, warnings included: {@code felix.fileinstall.log.level=2},
 * cnf/run-fileinstall.bnd); without this handler it would print the exception's stack trace. It
 * starts the plugins transiently ({@code felix.fileinstall.bundles.startTransient=true}) so that
 * only FileInstall, never the framework's start-level thread, starts them: a failure then reaches
 * this handler rather than the framework's own logger, which prints stack traces too.
 * <p>
 * A {@code .cfg} FileInstall cannot read leaves no configuration behind: one made from an earlier
 * version of the same file would otherwise stay in force (and in {@code state/config}) although the
 * file no longer says so. A {@code .cfg} that is not text at all (control characters) is read by
 * FileInstall as properties with garbage keys; its configuration is deleted as soon as it is made.
 * <p>
 * FileInstall tries again to start a failing bundle whenever the folder or the start level
 * changes, and logs the failure again: a line already printed for the same file, unchanged since,
 * is not printed twice.
 */
final class PluginWarnings extends Handler implements SynchronousConfigurationListener {

    /** The java.util.logging logger FileInstall writes to. */
    static final String LOGGER = "fileinstall";
    /** The configuration property in which FileInstall names a configuration's file (a file: URI). */
    static final String FILENAME = "felix.fileinstall.filename";

    private static final Pattern FILE_MESSAGE = Pattern.compile(
        "(Failed to install artifact|Error while starting bundle|Failed to update artifact|Failed to uninstall artifact):? (.+)");
    private static final Pattern MISSING = Pattern.compile(
        "missing requirement \\[.*?\\)\\] [^;]+; (.+?)(?: Unresolved requirements:| \\[caused by:|$)");

    private final BundleContext context;
    private final PrintStream err;
    private final Set<String> printed = Collections.synchronizedSet(new HashSet<>());
    /** Held: java.util.logging keeps loggers weakly, a collected one would lose this handler. */
    private Logger logger;
    private ServiceRegistration<SynchronousConfigurationListener> registration;

    PluginWarnings(BundleContext context, PrintStream err) {
        this.context = context;
        this.err = err;
    }

    /** Called before FileInstall (start level 2) starts. */
    void open() {
        logger = Logger.getLogger(LOGGER);
        logger.setUseParentHandlers(false);
        logger.addHandler(this);
        registration = context.registerService(SynchronousConfigurationListener.class, this, null);
    }

    @Override
    public void close() {
        if (logger != null) {
            logger.removeHandler(this);
        }
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException stopping) {
                // the framework is taking it down anyway
            }
            registration = null;
        }
    }

    @Override
    public void flush() {
        err.flush();
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() < Level.WARNING.intValue()) {
            return;
        }
        String message = record.getMessage() == null ? "" : record.getMessage();
        Throwable thrown = record.getThrown();
        Matcher m = FILE_MESSAGE.matcher(message);
        if (!m.matches()) {
            // a java -jar run where no ./plugins is: the folder is optional (launcher/readme.md)
            if (!message.endsWith("does not exist, please create it.") && !message.startsWith("Root path does not exist")) {
                warn(null, "warning: fileinstall: " + message + (thrown == null ? "" : ": " + reason(thrown)));
            }
            return;
        }
        File file = file(m.group(2));
        String what = switch (m.group(1)) {
            case "Error while starting bundle" -> thrown instanceof BundleException be
                && be.getType() == BundleException.RESOLVE_ERROR ? "not resolved" : "not started";
            case "Failed to update artifact" -> "not updated";
            case "Failed to uninstall artifact" -> "not uninstalled";
            default -> isConfiguration(file) ? "not read" : "not installed";
        };
        String removed = "";
        if (isConfiguration(file) && !what.equals("not uninstalled") && deleteConfigurationsOf(file)) {
            removed = "; its configuration removed";
        }
        warn(file, "warning: " + shown(file) + ": " + what + ": " + (thrown == null ? "" : reason(thrown)) + removed);
    }

    /** A configuration FileInstall made from a file that is not text: deleted, with one line. */
    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (event.getType() != ConfigurationEvent.CM_UPDATED) {
            return;
        }
        try {
            Configuration[] configurations = configurationAdmin().listConfigurations(
                "(" + Constants.SERVICE_PID + "=" + escape(event.getPid()) + ")");
            if (configurations == null) {
                return;
            }
            for (Configuration c : configurations) {
                Object name = c.getProperties() == null ? null : c.getProperties().get(FILENAME);
                if (name instanceof String s) {
                    File file = new File(URI.create(s));
                    if (isBinary(file.toPath())) {
                        c.delete();
                        warn(file, "warning: " + shown(file) + ": not read: not a text file; its configuration removed");
                    }
                }
            }
        } catch (IOException | InvalidSyntaxException | RuntimeException e) {
            warn(null, "warning: could not check configuration " + event.getPid() + ": " + reason(e));
        }
    }

    /** Deletes every configuration FileInstall made from {@code file}; true if there was one. */
    private boolean deleteConfigurationsOf(File file) {
        try {
            Configuration[] configurations = configurationAdmin().listConfigurations(
                "(" + FILENAME + "=" + escape(file.getAbsoluteFile().toURI().toString()) + ")");
            if (configurations == null) {
                return false;
            }
            for (Configuration c : configurations) {
                c.delete();
            }
            return true;
        } catch (IOException | InvalidSyntaxException | RuntimeException e) {
            warn(null, "warning: could not remove the configuration of " + shown(file) + ": " + reason(e));
            return false;
        }
    }

    private ConfigurationAdmin configurationAdmin() throws IOException {
        ServiceReference<ConfigurationAdmin> ref = context.getServiceReference(ConfigurationAdmin.class);
        ConfigurationAdmin admin = ref == null ? null : context.getService(ref);
        if (admin == null) {
            throw new IOException("no Configuration Admin");
        }
        return admin;
    }

    /** Prints {@code line} unless it was printed for this file, unchanged since. */
    private void warn(File file, String line) {
        String key = file == null ? line : line + '\0' + file.lastModified() + '\0' + file.length();
        if (printed.add(key)) {
            err.println(line);
            err.flush();
        }
    }

    /** FileInstall names a file by path ("Failed to install artifact") or location URL ("Error while starting bundle"). */
    static File file(String pathOrLocation) {
        if (pathOrLocation.startsWith("file:")) {
            try {
                return new File(URI.create(pathOrLocation));
            } catch (IllegalArgumentException notAUri) {
                return new File(pathOrLocation.substring("file:".length()));
            }
        }
        return new File(pathOrLocation);
    }

    /** As the user put it: the watched folder's name and the file's, e.g. {@code plugins/foo.jar}. */
    static String shown(File file) {
        File parent = file.getParentFile();
        return parent == null ? file.getName() : parent.getName() + "/" + file.getName();
    }

    static boolean isConfiguration(File file) {
        String name = file.getName();
        return name.endsWith(".cfg") || name.endsWith(".config");
    }

    /** True when the file holds control characters no properties text has (NUL, ESC, ...). */
    static boolean isBinary(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        for (byte b : Files.readAllBytes(file)) {
            int c = b & 0xff;
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /**
     * The reason in one line: the unresolved requirement rather than the resolver's whole report,
     * what an activator threw rather than "Activator start error", otherwise the message.
     */
    static String reason(Throwable thrown) {
        if (thrown instanceof BundleException be) {
            String m = be.getMessage() == null ? "" : be.getMessage();
            Matcher missing = MISSING.matcher(m);
            if (be.getType() == BundleException.RESOLVE_ERROR && missing.find()) {
                return "missing requirement " + missing.group(1);
            }
            if (be.getType() == BundleException.ACTIVATOR_ERROR && be.getCause() != null) {
                return "its activator threw " + oneLine(be.getCause().toString());
            }
        }
        if (thrown instanceof NumberFormatException) {
            return "bad number: " + oneLine(thrown.getMessage());
        }
        String m = thrown.getMessage();
        return oneLine(m == null || m.isBlank() ? thrown.getClass().getName() : m);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** An LDAP filter value: {@code \ * ( )} escaped. */
    static String escape(String value) {
        return value.replaceAll("([\\\\*()])", "\\\\$1");
    }
}
