using System.Net;
using System.Net.Sockets;

namespace Presence.Web.Tests.Infrastructure;

/// <summary>
/// A throw-away PostgreSQL server (Debian package <c>postgresql</c>): <c>initdb</c> into a temporary directory, then
/// <c>pg_ctl start</c> on a free loopback port, run as the <c>postgres</c> user through <c>runuser</c> when the tests
/// run as root. Stopped (<c>pg_ctl stop -m immediate</c>) and deleted on dispose. <see cref="SkipReason"/> says why
/// it could not start (binaries missing) so tests can skip with a clear message.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private readonly string? _bin;
    private readonly string _dir;
    private readonly bool _asRoot;

    public PostgresServer()
    {
        _dir = Path.Combine(Path.GetTempPath(), "presence-pg-" + Guid.NewGuid().ToString("N"));
        _bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
        if (_bin is null)
        {
            SkipReason = "PostgreSQL binaries (initdb, pg_ctl) not found under /usr/lib/postgresql; install the Debian package 'postgresql' (scripts/test.sh does)";
            return;
        }
        _asRoot = Environment.UserName == "root";
        Directory.CreateDirectory(_dir);
        if (_asRoot) Run("/bin/chown", "postgres:postgres", _dir);
        Port = FreePort();
        var data = Path.Combine(_dir, "data");
        RunPg("initdb", "-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8");
        Start();
    }

    public string? SkipReason { get; }

    /// <summary>Stops the server as an operator would (<c>pg_ctl stop -m fast</c>: clients are disconnected).</summary>
    public void Stop() => RunPg("pg_ctl", "-D", Path.Combine(_dir, "data"), "-m", "fast", "-w", "stop");

    /// <summary>Starts the stopped server again on the same port and data directory.</summary>
    public void Start() => RunPg("pg_ctl", "-D", Path.Combine(_dir, "data"), "-l", Path.Combine(_dir, "log"), "-w", "-t", "60",
        "-o", $"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start");

    public int Port { get; }

    /// <summary>A connection string for a new database (created on first use by the migration's <c>Migrate</c>).</summary>
    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true";

    private void RunPg(string tool, params string[] args)
    {
        var exe = Path.Combine(_bin!, tool);
        if (_asRoot) Run("/usr/sbin/runuser", ["-u", "postgres", "--", exe, .. args]);
        else Run(exe, args);
    }

    private static void Run(string file, params string[] args) => ProcessRunner.RunChecked(file, args, workingDirectory: "/tmp");

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (_bin is null) return;
        try { RunPg("pg_ctl", "-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop"); }
        catch (Exception) { /* already stopped */ }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
