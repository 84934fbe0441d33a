using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Presence.Bench.E2eXmpp;
using Presence.Domain.Tokens;

namespace Presence.Bench.LongRuns;

/// <summary>
/// A private Prosody (scripts/prosody.sh, own directory and ports, pubsub on SQLite, internal_plain accounts) and the
/// real service (Release build of Presence.Web, own SQLite file) with the XMPP component enabled, plus simulated c2s
/// sessions. Everything lives in a temporary directory and is stopped by PID on dispose.
/// </summary>
public sealed class Lab : IAsyncDisposable
{
    public const string Domain = "localhost";
    public const string ComponentJid = "pubpresence." + Domain;
    public const string PubSubJid = "pubsub." + Domain;
    public const string Password = "password";
    public const string Secret = "long-runs-shared-secret-0123456789";
    private const string ComponentSecret = "long-runs-component-secret";

    private readonly string _repo;
    private Process? _service;
    private readonly List<C2sClient> _sessions = [];

    public Lab(string repo, int sessions)
    {
        _repo = repo;
        Dir = Path.Combine(Path.GetTempPath(), "presence-longrun-" + Guid.NewGuid().ToString("N")[..8]);
        SessionCount = sessions;
        C2sPort = FreePort();
        ComponentPort = FreePort();
        HttpPort = FreePort();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public string Dir { get; }
    public int SessionCount { get; }
    public int C2sPort { get; }
    public int ComponentPort { get; }
    public int HttpPort { get; }
    public HttpClient Http { get; }
    public string DatabasePath => Path.Combine(Dir, "presence.db");
    public int ServicePid => _service?.Id ?? 0;
    public IReadOnlyList<C2sClient> Sessions => _sessions;

    /// <summary>The last show each session sent (null = online), the truth the pubsub node must show.</summary>
    public Dictionary<string, string?> Truth { get; } = [];

    public static string UserName(int i) => i == 0 ? "consumer" : $"user{i:0000}";

    public async Task StartAsync()
    {
        var accounts = Path.Combine(Dir, "prosody", "data", Domain, "accounts");
        Directory.CreateDirectory(accounts);
        for (var i = 0; i <= SessionCount; i++)
            await File.WriteAllTextAsync(Path.Combine(accounts, UserName(i) + ".dat"), $"return {{\n\t[\"password\"] = \"{Password}\";\n}};\n");
        await ProsodyAsync("start");
        StartService();
        await WaitAsync(async () =>
        {
            if (_service!.HasExited) throw new InvalidOperationException($"the service exited ({_service.ExitCode}); see {Path.Combine(Dir, "service.log")} (run with LONG_RUNS_KEEP=1 to keep it)");
            return (await HealthAsync())?["xmpp"]?["state"]?.GetValue<string>() == "Online";
        }, TimeSpan.FromSeconds(120), "service with the component online");
    }

    public async Task ProsodyAsync(string command)
    {
        var start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var a in new[] { Path.Combine(_repo, "scripts", "prosody.sh"), command, "--dir", Path.Combine(Dir, "prosody") }) start.ArgumentList.Add(a);
        start.Environment["PROSODY_C2S_PORT"] = C2sPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["PROSODY_COMPONENT_PORT"] = ComponentPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["PROSODY_COMPONENT_SECRET"] = ComponentSecret;
        start.Environment["PROSODY_AUTH"] = "internal_plain";
        start.Environment["PROSODY_USERS"] = UserName(0);
        start.Environment["PROSODY_PASSWORD"] = Password;
        using var p = Process.Start(start)!;
        _ = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"prosody.sh {command} failed");
    }

    private void StartService()
    {
        var dll = Path.Combine(_repo, "src", "Presence.Web", "bin", "Release", "net10.0", "Presence.Web.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"build the service first: dotnet build -c Release src/Presence.Web ({dll} missing)");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Dir };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{HttpPort}");
        var env = start.Environment;
        env["ConnectionStrings__Presence"] = $"Data Source={DatabasePath}";
        env["Presence__Tokens__SharedSecret"] = Secret;
        env["Presence__Tokens__Expiry"] = "7.00:00:00";
        env["Presence__Api__RateLimit__PermitsPerSecond"] = "10000000";
        env["Presence__Api__RateLimit__Burst"] = "10000000";
        env["Presence__Xmpp__Enabled"] = "true";
        env["Presence__Xmpp__Domain"] = Domain;
        env["Presence__Xmpp__Port"] = ComponentPort.ToString(CultureInfo.InvariantCulture);
        env["Presence__Xmpp__Secret"] = ComponentSecret;
        env["Presence__Xmpp__ReconnectMinDelay"] = "00:00:00.200";
        env["Presence__Xmpp__ReconnectMaxDelay"] = "00:00:02";
        env["Logging__LogLevel__Default"] = "Warning";
        env["DOTNET_gcServer"] = "0";
        _service = Process.Start(start)!;
        var log = File.CreateText(Path.Combine(Dir, "service.log"));
        log.AutoFlush = true;
        _service.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        _service.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        _service.BeginOutputReadLine();
        _service.BeginErrorReadLine();
    }

    /// <summary>Stops the service with SIGTERM (a graceful stop commits what is queued) and waits for it.</summary>
    public async Task StopServiceAsync()
    {
        if (_service is null || _service.HasExited) return;
        using (var kill = Process.Start("kill", ["-TERM", _service.Id.ToString(CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        await _service.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>/healthz with details (a token of the consumer user), or null when the service does not answer.</summary>
    public async Task<JsonNode?> HealthAsync()
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
            request.Headers.Authorization = new("Bearer", Token(UserName(0) + "@" + Domain));
            using var response = await Http.SendAsync(request);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public static string Token(string user) => PresenceToken.Create(Secret, user, DateTimeOffset.UtcNow);

    /// <summary>Logs in sessions 1..N (16 at a time), each with the component in its roster and an initial presence.</summary>
    public async Task ConnectSessionsAsync()
    {
        foreach (var s in _sessions) await s.DisposeAsync();
        _sessions.Clear();
        var gate = new SemaphoreSlim(16);
        var clients = new C2sClient[SessionCount];
        await Task.WhenAll(Enumerable.Range(1, SessionCount).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                for (var attempt = 0; ; attempt++)
                {
                    var client = new C2sClient(UserName(i), Domain) { ApproveFrom = ComponentJid };
                    try
                    {
                        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                        await client.ConnectAsync("127.0.0.1", C2sPort, Password, "soak", cts.Token);
                        client.StartReading();
                        var show = Truth.GetValueOrDefault(client.BareJid);
                        await client.SendAsync($"<presence>{(show is null ? "" : $"<show>{show}</show>")}<priority>1</priority></presence><presence type='subscribe' to='{ComponentJid}'/>");
                        clients[i - 1] = client;
                        lock (Truth) Truth[client.BareJid] = show;
                        return;
                    }
                    catch (Exception) when (attempt < 5)
                    {
                        await client.DisposeAsync();
                        await Task.Delay(500);
                    }
                }
            }
            finally { gate.Release(); }
        }));
        _sessions.AddRange(clients);
    }

    /// <summary>Sends a new show from session <paramref name="index"/> and records it as the truth.</summary>
    public async Task ChangePresenceAsync(int index, string? show, string status)
    {
        var client = _sessions[index];
        lock (Truth) Truth[client.BareJid] = show;
        try { await client.SendPresenceAsync(show, 1, status); }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException or InvalidOperationException) { }
    }

    public static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > timeout) throw new TimeoutException($"no {what} within {timeout.TotalSeconds:0} s");
            await Task.Delay(50);
        }
    }

    public long ServiceRssKb()
    {
        try
        {
            return long.Parse(File.ReadLines($"/proc/{ServicePid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException) { return 0; }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in _sessions) { try { await s.DisposeAsync(); } catch (Exception) { } }
        try { await StopServiceAsync(); } catch (Exception) { _service?.Kill(); }
        try { await ProsodyAsync("stop"); } catch (Exception) { }
        Http.Dispose();
        if (Environment.GetEnvironmentVariable("LONG_RUNS_KEEP") != "1")
        {
            try { Directory.Delete(Dir, true); } catch (IOException) { }
        }
    }
}
