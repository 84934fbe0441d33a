namespace Presence.Web.Configuration;

/// <summary>
/// SQLite serves one node: a node holds an exclusive lock on <c>.&lt;database&gt;.node-lock</c> next to the database
/// file for its whole life, taken during configuration validation (before the database is opened), so a second
/// process started on the same file is refused with one line. The operating system releases the lock when the process
/// ends, also on <c>kill -9</c>. Several hosts of one process (tests) share the lock.
/// </summary>
internal static class SingleNodeLock
{
    private static readonly Dictionary<string, FileStream> Held = new(StringComparer.Ordinal);

    /// <summary>The lock file: <c>.&lt;database file name&gt;.node-lock</c> (hidden) in the database's directory.</summary>
    public static string LockPath(string databasePath) =>
        Path.Combine(Path.GetDirectoryName(databasePath) ?? ".", "." + Path.GetFileName(databasePath) + ".node-lock");

    /// <summary>Takes (or already holds) the lock for the database at <paramref name="databasePath"/>.</summary>
    /// <param name="databasePath">Full path of the SQLite database file.</param>
    /// <returns><c>false</c> when another process holds it.</returns>
    public static bool TryHold(string databasePath)
    {
        lock (Held)
        {
            if (Held.ContainsKey(databasePath)) return true;
            try
            {
                // FileShare.None takes an exclusive advisory lock (flock) on Unix and a share lock on Windows.
                Held[databasePath] = new FileStream(LockPath(databasePath), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                return true;
            }
            catch (IOException)
            {
                return false;
            }
        }
    }
}
