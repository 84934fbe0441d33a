namespace Presence.Web.Tests.Infrastructure;

/// <summary>
/// A real file system that can fill up: a tmpfs of a few megabytes mounted on a temporary directory (needs root, as CI
/// runs), holding a SQLite database. <see cref="Fill"/> takes every free byte with a filler file, as another process
/// filling the disk would; <see cref="Free"/> deletes it. Unmounted on dispose.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    private readonly string _dir;
    private string Filler => Path.Combine(_dir, "filler");

    public SmallDisk(int megabytes = 4)
    {
        _dir = Path.Combine(Path.GetTempPath(), "presence-disk-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        if (Environment.UserName != "root")
        {
            SkipReason = "mounting a size-limited tmpfs needs root (CI runs as root)";
            return;
        }
        Run("/bin/mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", _dir);
        Mounted = true;
        Database = TempDatabase.SqliteIn(_dir);
    }

    public string? SkipReason { get; }

    private bool Mounted { get; }

    public TempDatabase Database { get; } = null!;

    /// <summary>Writes a filler file until the file system reports no space left.</summary>
    public void Fill()
    {
        using var f = new FileStream(Filler, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        var block = new byte[64 * 1024];
        try
        {
            while (true) f.Write(block);
        }
        catch (IOException)
        {
            // ENOSPC: the disk is full. Fill the last partial block byte by byte.
        }
        try
        {
            while (true) f.Write(block, 0, 1);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Deletes the filler: space is free again.</summary>
    public void Free() => File.Delete(Filler);

    private static void Run(string file, params string[] args) => ProcessRunner.RunChecked(file, args);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Mounted) Run("/bin/umount", "-l", _dir);
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
