using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Presence.Xmpp.Tests.Integration;

/// <summary>Settings of a private Prosody for one test class.</summary>
/// <param name="Hibernation">XEP-0198 hibernation time, seconds.</param>
/// <param name="Users">Demo users registered with <c>prosodyctl</c> (password <see cref="ProsodyServer.Password"/>).</param>
/// <param name="ExtraAdmins">Admin JIDs besides the component (e.g. a test client that creates pubsub nodes).</param>
/// <param name="Secret">The component secret.</param>
/// <param name="S2s">Allow outgoing server-to-server (no listener), so unknown domains answer remote-server-not-found.</param>
/// <param name="Privileged">Grant the component presence permission <c>managed_entity</c> (XEP-0356, <c>mod_privilege</c>); otherwise subscription mode.</param>
public sealed record ProsodySettings(
    int Hibernation = 8,
    string Users = "alice bob carol dave erin frank",
    string ExtraAdmins = "",
    string Secret = "test-secret",
    bool S2s = false,
    bool Privileged = false);

/// <summary>
/// A real Prosody 0.12 started through <c>scripts/prosody.sh</c> in a temporary directory on free loopback ports;
/// stopped (SIGTERM) or killed (SIGKILL) by the PID from its own pidfile, and restartable on the same ports and data.
/// </summary>
public sealed class ProsodyServer : IXmppTestServer
{
    /// <summary>The password of every registered user.</summary>
    public const string Password = "password";

    /// <summary>The server's domain.</summary>
    public const string Domain = "localhost";

    /// <summary>The component's JID.</summary>
    public const string ComponentJid = "pubpresence.localhost";

    /// <summary>The pubsub service's JID.</summary>
    public const string PubSubJid = "pubsub.localhost";

    private readonly ProsodySettings _settings;

    private ProsodyServer(ProsodySettings settings, string directory)
    {
        _settings = settings;
        Directory = directory;
    }

    /// <summary>The server's own directory (config, data, log, pidfile); deleted on dispose.</summary>
    public string Directory { get; }

    /// <summary>Client (c2s) port on 127.0.0.1.</summary>
    public int C2sPort { get; private set; }

    /// <summary>Component (XEP-0114) port on 127.0.0.1.</summary>
    public int ComponentPort { get; private set; }

    /// <summary>The component secret.</summary>
    public string Secret => _settings.Secret;

    /// <summary>The running Prosody's PID, or null when stopped.</summary>
    public int? Pid { get; private set; }

    /// <summary>Prosody's log so far (for failure messages).</summary>
    public string Log => File.Exists(Path.Combine(Directory, "prosody.log")) ? ReadShared(Path.Combine(Directory, "prosody.log")) : "";

    /// <summary>The repository root (the folder holding Presence.sln).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Starts a new server on free ports (retrying with other ports if one was taken meanwhile).</summary>
    public static async Task<ProsodyServer> StartAsync(ProsodySettings? settings = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "presence-prosody-" + Guid.NewGuid().ToString("N")[..12]);
        var server = new ProsodyServer(settings ?? new ProsodySettings(), directory);
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            server.C2sPort = FreePort();
            server.ComponentPort = FreePort();
            try
            {
                await server.StartAgainAsync();
                return server;
            }
            catch (InvalidOperationException e) when (e.Message.Contains("port is in use"))
            {
                last = e;
            }
        }
        throw last!;
    }

    /// <summary>(Re)starts Prosody on the same ports and data; returns once c2s and the component listener are active.</summary>
    public async Task StartAgainAsync()
    {
        var (code, output) = await RunScriptAsync("start");
        if (code != 0)
            throw new InvalidOperationException($"prosody.sh start failed ({code}): {output}\n{Log}");
        Pid = int.Parse(File.ReadAllText(Path.Combine(Directory, "prosody.pid")).Trim());
    }

    /// <summary>Stops Prosody with SIGTERM (clean shutdown: streams closed) and waits for the process to end.</summary>
    public async Task StopAsync()
    {
        if (Pid is not { } pid) return;
        await Signal(pid, "TERM");
        await WaitForExitAsync(pid, TimeSpan.FromSeconds(10));
        Pid = null;
    }

    /// <summary>Kills Prosody with SIGKILL (no stream closes: peers see the TCP connection drop).</summary>
    public async Task KillAsync()
    {
        if (Pid is not { } pid) return;
        await Signal(pid, "KILL");
        await WaitForExitAsync(pid, TimeSpan.FromSeconds(5));
        Pid = null;
        File.Delete(Path.Combine(Directory, "prosody.pid"));
    }

    /// <summary>Registers more users (prosodyctl).</summary>
    public async Task RegisterAsync(params string[] users)
    {
        var (code, output) = await RunScriptAsync("register " + string.Join(' ', users));
        if (code != 0) throw new InvalidOperationException($"prosody.sh register failed: {output}");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try { await KillAsync(); }
        finally
        {
            // PRESENCE_KEEP_PROSODY=1 keeps the directory (config, log) for a look after a failure.
            if (Environment.GetEnvironmentVariable("PRESENCE_KEEP_PROSODY") != "1")
                try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private async Task<(int Code, string Output)> RunScriptAsync(string arguments)
    {
        var start = new ProcessStartInfo("bash", $"\"{Path.Combine(RepoRoot, "scripts", "prosody.sh")}\" {arguments} --dir \"{Directory}\"")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["PROSODY_C2S_PORT"] = C2sPort.ToString();
        start.Environment["PROSODY_COMPONENT_PORT"] = ComponentPort.ToString();
        start.Environment["PROSODY_COMPONENT_SECRET"] = _settings.Secret;
        start.Environment["PROSODY_USERS"] = _settings.Users;
        start.Environment["PROSODY_PASSWORD"] = Password;
        start.Environment["PROSODY_HIBERNATION"] = _settings.Hibernation.ToString();
        start.Environment["PROSODY_ADMINS"] = _settings.ExtraAdmins;
        start.Environment["PROSODY_S2S"] = _settings.S2s ? "1" : "0";
        start.Environment["PROSODY_PRIVILEGE"] = _settings.Privileged ? "1" : "0";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static async Task Signal(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {pid}") { UseShellExecute = false, RedirectStandardError = true })!;
        await kill.WaitForExitAsync();
    }

    private static async Task WaitForExitAsync(int pid, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (IsAlive(pid))
        {
            if (DateTime.UtcNow > deadline)
            {
                await Signal(pid, "KILL");
                deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
            }
            // Polling the process table: there is no event for the exit of a process we did not start.
            await Task.Delay(20);
        }
    }

    private static bool IsAlive(int pid)
    {
        // /proc/<pid>/stat exists for zombies too; a zombie (state Z) has exited.
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat)) return false;
        try
        {
            var text = File.ReadAllText(stat);
            var state = text[(text.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z" && state != "X";
        }
        catch (IOException) { return false; }
    }

    /// <summary>A port that was free on 127.0.0.1 a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Presence.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Presence.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>One private Prosody per test class (xunit class fixture).</summary>
public class ProsodyFixture : XmppServerFixture<ProsodyServer>
{
    /// <summary>Settings for this fixture; override in a subclass to change them.</summary>
    protected virtual ProsodySettings Settings => new();

    /// <inheritdoc />
    protected override Task<ProsodyServer> StartAsync() => ProsodyServer.StartAsync(Settings);
}
