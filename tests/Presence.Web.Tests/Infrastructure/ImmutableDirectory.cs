namespace Presence.Web.Tests.Infrastructure;

/// <summary>
/// A SQLite database whose files can be made read-only while the service has them open, as an operator's mistake or a
/// file system gone read-only would: <c>chattr +i</c> (the immutable attribute) on the database, its WAL and the
/// directory. Unlike <c>chmod</c>, which root ignores and which does not affect files already open, the attribute
/// refuses every write, through open handles too, for every user (needs root and a file system with the attribute:
/// ext4, XFS, Btrfs — not tmpfs or overlayfs).
/// </summary>
public sealed class ImmutableDirectory : IDisposable
{
    private readonly string _dir;
    private bool _immutable;

    public ImmutableDirectory()
    {
        _dir = Path.Combine(Path.GetTempPath(), "presence-ro-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        Database = TempDatabase.SqliteIn(_dir);
        var probe = Path.Combine(_dir, "probe");
        File.WriteAllText(probe, "");
        if (Environment.UserName != "root") SkipReason = "the immutable attribute needs root (CI runs as root)";
        else if (Chattr("+i", probe) is { } error) SkipReason = $"the file system under {Path.GetTempPath()} has no immutable attribute: {error}";
        else Chattr("-i", probe);
        File.Delete(probe);
    }

    public string? SkipReason { get; }

    public TempDatabase Database { get; }

    /// <summary>Makes the database files and their directory immutable: every write fails from now on.</summary>
    public void MakeReadOnly()
    {
        foreach (var path in Targets()) Check(Chattr("+i", path));
        _immutable = true;
    }

    /// <summary>Makes them writable again.</summary>
    public void MakeWritable()
    {
        foreach (var path in Targets()) Check(Chattr("-i", path));
        _immutable = false;
    }

    // The -shm file is memory-mapped (no write() calls) and the attribute would not stop SQLite there; it stays writable.
    private IEnumerable<string> Targets() =>
        Directory.GetFiles(_dir).Where(f => !f.EndsWith("-shm", StringComparison.Ordinal)).Append(_dir);

    private static void Check(string? error)
    {
        if (error is not null) throw new InvalidOperationException(error);
    }

    private static string? Chattr(string flag, string path)
    {
        try
        {
            var (code, _, error) = ProcessRunner.Run("chattr", [flag, path]);
            return code == 0 ? null : $"chattr {flag} {path}: {error}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return "chattr: " + e.Message;
        }
    }

    public void Dispose()
    {
        if (_immutable) MakeWritable();
        Database.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
