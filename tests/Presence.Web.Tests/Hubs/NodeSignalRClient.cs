using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Presence.Web.Tests.Hubs;

/// <summary>
/// One real <c>@microsoft/signalr</c> client in a Node process (<c>js/hub-client.mjs</c>): commands go in as JSON
/// lines on stdin, events come out as JSON lines on stdout.
/// </summary>
internal sealed class NodeSignalRClient : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly Process _process;
    private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>();
    private readonly StringBuilder _stderr = new();
    private readonly Task _reader;

    private NodeSignalRClient(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.BeginErrorReadLine();
        _reader = Task.Run(ReadAsync);
    }

    /// <summary>Starts a client for <paramref name="hubUrl"/>; it connects at once and reports <c>connected</c> or <c>error</c>.</summary>
    public static NodeSignalRClient Start(string hubUrl, string? token, params string[] extra)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = NodeScripts.Directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(NodeScripts.Directory, "hub-client.mjs"));
        start.ArgumentList.Add(hubUrl);
        start.ArgumentList.Add(token ?? "");
        foreach (var e in extra) start.ArgumentList.Add(e);
        return new NodeSignalRClient(Process.Start(start) ?? throw new InvalidOperationException("node did not start"));
    }

    /// <summary>Sends one command (<c>{"cmd": ...}</c>).</summary>
    public async Task SendAsync(object command)
    {
        await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(command));
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>The next event, failing the test with the client's stderr when none arrives in time.</summary>
    public async Task<JsonElement> NextAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            return await _events.Reader.ReadAsync(cts.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            throw new TimeoutException($"The Node SignalR client sent no event within {Timeout.TotalSeconds} s. stderr: {Stderr}");
        }
    }

    /// <summary>Skips events until one named <paramref name="name"/> arrives (and matches <paramref name="match"/>).</summary>
    public async Task<JsonElement> NextAsync(string name, Func<JsonElement, bool>? match = null)
    {
        while (true)
        {
            var e = await NextAsync();
            if (e.GetProperty("event").GetString() == name && (match is null || match(e))) return e;
        }
    }

    /// <summary>Events already received and not yet read (does not wait).</summary>
    public List<JsonElement> Drain()
    {
        var list = new List<JsonElement>();
        while (_events.Reader.TryRead(out var e)) list.Add(e);
        return list;
    }

    /// <summary>What the Node process wrote to stderr.</summary>
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    private async Task ReadAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.Length == 0) continue;
            using var doc = JsonDocument.Parse(line);
            _events.Writer.TryWrite(doc.RootElement.Clone());
        }
        _events.Writer.TryComplete();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await SendAsync(new { cmd = "quit" });
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        await _reader;
        _process.Dispose();
    }
}

/// <summary>Finds the JS test assets and installs their npm packages (<c>npm ci</c>) once when missing.</summary>
internal static class NodeScripts
{
    private static readonly Lazy<string> Dir = new(Prepare);

    /// <summary>The directory of <c>hub-client.mjs</c> with <c>node_modules</c> installed.</summary>
    public static string Directory => Dir.Value;

    private static string Prepare()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Presence.sln"))) dir = Path.GetDirectoryName(dir);
        if (dir is null) throw new InvalidOperationException("Presence.sln not found above " + AppContext.BaseDirectory);
        var js = Path.Combine(dir, "tests", "Presence.Web.Tests", "js");
        if (!File.Exists(Path.Combine(js, "node_modules", "@microsoft", "signalr", "package.json")))
        {
            var npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund")
            {
                WorkingDirectory = js,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            }) ?? throw new InvalidOperationException("npm did not start");
            var output = npm.StandardError.ReadToEndAsync();
            npm.StandardOutput.ReadToEnd();
            npm.WaitForExit();
            if (npm.ExitCode != 0) throw new InvalidOperationException($"npm ci in {js} failed: {output.Result}");
        }
        return js;
    }
}
