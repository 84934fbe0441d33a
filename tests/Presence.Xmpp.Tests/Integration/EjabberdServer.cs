using System.Diagnostics;

namespace Presence.Xmpp.Tests.Integration;

/// <summary>Settings of a private ejabberd for one test class.</summary>
/// <param name="Users">Users registered on start (password <see cref="ProsodyServer.Password"/>).</param>
/// <param name="Privileged">Grant the component presence permission <c>managed_entity</c> (XEP-0356, <c>mod_privilege</c>).</param>
/// <param name="Secret">The component secret.</param>
public sealed record EjabberdSettings(string Users = "alice bob carol dave erin frank", bool Privileged = false, string Secret = "test-secret");

/// <summary>
/// A real ejabberd 23.01 started through <c>scripts/ejabberd.sh</c> in its own temporary directory (config, Mnesia spool,
/// logs, pidfile) with its own Erlang node name, on free loopback ports; stopped by the PID from its pidfile. It never
/// uses the system-wide instance. ejabberdctl runs only as root or the <c>ejabberd</c> user: elsewhere the tests that
/// need it fail with that message.
/// </summary>
public sealed class EjabberdServer : IXmppTestServer
{
    private readonly EjabberdSettings _settings;

    private EjabberdServer(EjabberdSettings settings, string directory)
    {
        _settings = settings;
        Directory = directory;
    }

    /// <summary>The server's own directory; deleted on dispose.</summary>
    public string Directory { get; }

    /// <inheritdoc />
    public int C2sPort { get; private set; }

    /// <inheritdoc />
    public int ComponentPort { get; private set; }

    /// <inheritdoc />
    public string Secret => _settings.Secret;

    /// <inheritdoc />
    public string Log
    {
        get
        {
            var path = Path.Combine(Directory, "logs", "ejabberd.log");
            if (!File.Exists(path)) return "";
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return new StreamReader(stream).ReadToEnd();
        }
    }

    /// <summary>Starts a new server on free ports.</summary>
    public static async Task<EjabberdServer> StartAsync(EjabberdSettings? settings = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "presence-ejabberd-" + Guid.NewGuid().ToString("N")[..12]);
        var server = new EjabberdServer(settings ?? new EjabberdSettings(), directory)
        {
            C2sPort = ProsodyServer.FreePort(),
            ComponentPort = ProsodyServer.FreePort(),
        };
        var (code, output) = await server.RunScriptAsync("start");
        if (code != 0) throw new InvalidOperationException($"ejabberd.sh start failed ({code}): {output}\n{server.Log}");
        return server;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try { await RunScriptAsync("stop"); }
        finally
        {
            if (Environment.GetEnvironmentVariable("PRESENCE_KEEP_PROSODY") != "1")
                try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private async Task<(int Code, string Output)> RunScriptAsync(string command)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { Path.Combine(ProsodyServer.RepoRoot, "scripts", "ejabberd.sh"), command, "--dir", Directory }) start.ArgumentList.Add(a);
        start.Environment["EJABBERD_C2S_PORT"] = C2sPort.ToString();
        start.Environment["EJABBERD_COMPONENT_PORT"] = ComponentPort.ToString();
        start.Environment["EJABBERD_COMPONENT_SECRET"] = _settings.Secret;
        start.Environment["EJABBERD_USERS"] = _settings.Users;
        start.Environment["EJABBERD_PASSWORD"] = ProsodyServer.Password;
        start.Environment["EJABBERD_RESUME_TIMEOUT"] = "8";
        start.Environment["EJABBERD_PRIVILEGE"] = _settings.Privileged ? "1" : "0";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}

/// <summary>One private ejabberd per test class (xunit class fixture).</summary>
public class EjabberdFixture : XmppServerFixture<EjabberdServer>
{
    /// <summary>Settings for this fixture; override in a subclass to change them.</summary>
    protected virtual EjabberdSettings Settings => new();

    /// <inheritdoc />
    protected override Task<EjabberdServer> StartAsync() => EjabberdServer.StartAsync(Settings);
}
