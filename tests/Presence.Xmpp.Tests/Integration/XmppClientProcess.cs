using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Presence.Xmpp.Tests.Integration;

/// <summary>
/// A real XMPP client: <c>tests/clients/xmpp_client.py</c> (Debian's slixmpp) in its own process, driven by
/// commands on stdin; its JSON events are collected and awaited with timeouts (never sleeps).
/// </summary>
public sealed class XmppClientProcess : IAsyncDisposable
{
    /// <summary>Default time to wait for an expected event.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly List<JsonElement> _events = [];
    private readonly StringBuilder _stderr = new();
    private readonly object _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _cursor;

    private XmppClientProcess(Process process, string jid)
    {
        _process = process;
        Jid = jid;
    }

    /// <summary>The JID given at start (full JID when a resource was given).</summary>
    public string Jid { get; }

    /// <summary>The bare JID.</summary>
    public string BareJid => Jid.Split('/')[0];

    /// <summary>All events so far.</summary>
    public IReadOnlyList<JsonElement> Events { get { lock (_gate) return [.. _events]; } }

    /// <summary>Starts the client and waits until its session is established (roster fetched, no presence sent).</summary>
    public static async Task<XmppClientProcess> StartAsync(string jid, string password, int port, bool waitReady = true)
    {
        var script = Path.Combine(ProsodyServer.RepoRoot, "tests", "clients", "xmpp_client.py");
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        foreach (var arg in new[] { "-u", script, "--jid", jid, "--password", password, "--port", port.ToString() })
            start.ArgumentList.Add(arg);
        var client = new XmppClientProcess(Process.Start(start)!, jid);
        client._process.OutputDataReceived += (_, e) => client.OnLine(e.Data);
        client._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (client._gate) client._stderr.AppendLine(e.Data); };
        client._process.BeginOutputReadLine();
        client._process.BeginErrorReadLine();
        if (waitReady)
            await client.WaitForAsync(e => e.Is("ready") || e.Is("error"), "session established", TimeSpan.FromSeconds(20))
                .ContinueWith(t => t.Result.Is("error") ? throw new InvalidOperationException($"{jid} could not log in: {t.Result}") : t.Result);
        return client;
    }

    private void OnLine(string? line)
    {
        if (string.IsNullOrWhiteSpace(line)) return;
        JsonElement element;
        try { element = JsonDocument.Parse(line).RootElement.Clone(); }
        catch (JsonException) { lock (_gate) _stderr.AppendLine("stdout: " + line); return; }
        TaskCompletionSource changed;
        lock (_gate)
        {
            _events.Add(element);
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    /// <summary>Sends a command line (see the script's help) without waiting.</summary>
    public async Task SendAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Sends a command and waits for its <c>done</c> event; throws with the client's error otherwise.</summary>
    public async Task RunAsync(string command, TimeSpan? timeout = null)
    {
        var result = await TryRunAsync(command, timeout);
        if (result.Is("error"))
            throw new InvalidOperationException($"'{command}' failed at {Jid}: {result}");
    }

    /// <summary>Sends a command and returns its <c>done</c> or <c>error</c> event.</summary>
    public async Task<JsonElement> TryRunAsync(string command, TimeSpan? timeout = null)
    {
        var name = command.Split(' ', 2)[0];
        await SendAsync(command);
        return await WaitForAsync(e => (e.Is("done") || e.Is("error")) && e.Str("command") == name, $"end of '{command}'", timeout);
    }

    /// <summary>
    /// Waits for the next event (after the last awaited one) that matches; the cursor moves past it.
    /// Throws <see cref="TimeoutException"/> listing the events seen.
    /// </summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, string what, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                for (var i = _cursor; i < _events.Count; i++)
                {
                    if (!match(_events[i])) continue;
                    _cursor = i + 1;
                    return _events[i];
                }
                changed = _changed.Task;
            }
            if (_process.HasExited && changed.IsCompleted is false)
                throw new InvalidOperationException($"{Jid}: client exited while waiting for {what}.\n{Describe()}");
            try { await changed.WaitAsync(cts.Token); }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{Jid}: no {what} within {(timeout ?? DefaultTimeout).TotalSeconds} s.\n{Describe()}");
            }
        }
    }

    /// <summary>Moves the cursor past every event so far: the next <see cref="WaitForAsync"/> sees only newer events. Returns the new position.</summary>
    public int SkipToEnd()
    {
        lock (_gate) return _cursor = _events.Count;
    }

    /// <summary>
    /// Waits until the latest consumer map (pubpresence consumer protocol, <c>state</c> events) satisfies <paramref name="condition"/>;
    /// independent of the event cursor (the map is a state, not an event).
    /// </summary>
    public async Task<Dictionary<string, JsonElement>> WaitForStateAsync(
        Func<Dictionary<string, JsonElement>, bool> condition, string what, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            Task changed;
            JsonElement? latest = null;
            lock (_gate)
            {
                for (var i = _events.Count - 1; i >= 0 && latest is null; i--)
                    if (_events[i].Is("state")) latest = _events[i];
                changed = _changed.Task;
            }
            if (latest is { } state && condition(Users(state))) return Users(state);
            try { await changed.WaitAsync(cts.Token); }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{Jid}: no state with {what} within {(timeout ?? DefaultTimeout).TotalSeconds} s.\n{Describe()}");
            }
        }
    }

    /// <summary>The users map of a <c>state</c> event: bare JID → user attributes.</summary>
    public static Dictionary<string, JsonElement> Users(JsonElement state) =>
        state.GetProperty("users").EnumerateObject().ToDictionary(p => p.Name, p => p.Value);

    /// <summary>Events seen so far and stderr, for failure messages.</summary>
    public string Describe()
    {
        lock (_gate)
            return $"events:\n  {string.Join("\n  ", _events.TakeLast(40))}\nstderr:\n{_stderr.ToString().Trim()}";
    }

    /// <summary>Kills the process (no stream close, like a crashed client).</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await SendAsync("quit");
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException) { }
            Kill();
        }
        _process.Dispose();
    }
}

/// <summary>Helpers over the client's JSON events.</summary>
public static class ClientEvents
{
    /// <summary>True when the event's name is <paramref name="name"/>.</summary>
    public static bool Is(this JsonElement e, string name) => e.Str("event") == name;

    /// <summary>A string property or null.</summary>
    public static string? Str(this JsonElement e, string property) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>A presence event from <paramref name="from"/> (full or bare JID prefix match) of <paramref name="type"/>.</summary>
    public static bool IsPresence(this JsonElement e, string from, string type = "available") =>
        e.Is("presence") && e.Str("type") == type && (e.Str("from") == from || e.Str("from")!.StartsWith(from + "/", StringComparison.Ordinal));
}
