package liquibase.ext.partman.resource;

import java.io.IOException;
import java.io.OutputStream;

import liquibase.Scope;
import liquibase.resource.AbstractPathHandler;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.Resource;
import liquibase.resource.ResourceAccessor;

/**
 * The search-path entry {@code classpath:}: the classpath Liquibase loads its extensions from (the
 * liquibase-maven-plugin's dependencies, the CLI's {@code lib/}), searched from its root.
 *
 * <p>A project that sets a search path ({@code <searchPath>}, {@code --search-path}) replaces the
 * classpath with the folders it lists, so {@code <include file="liquibase-partman/changelogs/...">}
 * no longer finds the pack in this jar, and Liquibase 4.x itself refuses {@code classpath:} as an
 * entry ("Cannot parse resource location"). With this handler, {@code searchPath=db,classpath:}
 * finds the pack the same way on every machine, without naming a jar file.
 *
 * <p>Only the classpath's root is an entry: {@code classpath:some/folder} is refused, since a path
 * under it would then mean something else than the same path under {@code classpath:}. The priority
 * is Liquibase's default, so that a handler for {@code classpath:} that Liquibase may ship one day
 * (at a specialized priority) takes over.
 */
public class ClasspathPathHandler extends AbstractPathHandler {

    static final String PREFIX = "classpath:";

    @Override
    public int getPriority(String root) {
        return root != null && root.startsWith(PREFIX) ? PRIORITY_DEFAULT : PRIORITY_NOT_APPLICABLE;
    }

    @Override
    public ResourceAccessor getResourceAccessor(String root) throws IOException {
        String folder = root.substring(PREFIX.length());
        if (!folder.isEmpty() && !folder.equals("/")) {
            throw new IOException("Search path entry '" + root + "' names a folder on the classpath; liquibase-partman "
                    + "reads 'classpath:' alone (the whole classpath, from its root): use 'classpath:' and the "
                    + "folder in the include's path");
        }
        return classpath();
    }

    /** {@code classpath:path/to/file}: the file at that path on the classpath, found or not. */
    @Override
    public Resource getResource(String path) throws IOException {
        // Not closed: looking up one path opens nothing (only listing folders opens the jars).
        return classpath().get(path.substring(PREFIX.length()));
    }

    @Override
    public OutputStream createResource(String path) throws IOException {
        throw new IOException("Cannot create '" + path + "': the classpath is read-only");
    }

    private static ResourceAccessor classpath() {
        return new ClassLoaderResourceAccessor(Scope.getCurrentScope().getClassLoader(true));
    }
}
