using System.Globalization;
using Microsoft.Extensions.Logging;
using Presence.Domain.Tracking;
using Presence.Xmpp.Component;
using Presence.Xmpp.Roster;

namespace Presence.Bench.E2eXmpp;

/// <summary>
/// The component in its own process (so its memory is measured alone): <c>e2e-xmpp component --port P --secret S --store F</c>.
/// Prints <c>online {presence mode}</c> once the node is repopulated and the service available; answers <c>mem</c> on
/// stdin with <c>mem {managed heap KiB} {RSS KiB} {reconnects}</c> after a full collection, and <c>probes</c> with
/// <c>probes {count}</c> (presence probes sent since start, counted on the stream).
/// </summary>
public static class ComponentHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name) => args[Array.IndexOf(args, name) + 1];
        var options = new XmppOptions
        {
            Enabled = true,
            Domain = "localhost",
            Port = int.Parse(Arg("--port"), CultureInfo.InvariantCulture),
            Secret = Arg("--secret"),
            PingInterval = TimeSpan.FromMinutes(10),
            // The default keepalive (2 s + 3 s) drops the link while Prosody is saturated by 1,000 logins on a loaded
            // 2-core machine; each drop purges and repopulates the node, which adds load. Measured separately.
            KeepaliveInterval = TimeSpan.FromSeconds(5),
            KeepaliveTimeout = TimeSpan.FromSeconds(15),
            ReconnectMinDelay = TimeSpan.FromMilliseconds(200),
        };
        var tracker = new PresenceTracker(TimeProvider.System);
        // Probes are counted from the component's log lines ("Probed N subscribers"; also single probes after a subscription).
        long probes = 0;
        // Logs go to stderr: stdout carries the protocol lines and is read only on demand.
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddProvider(new ProbeCounter(n => Interlocked.Add(ref probes, n)))
            .AddFilter<ProbeCounter>("Presence.Xmpp", LogLevel.Information));
        var component = new XmppComponent(options, tracker, new FileSubscriberStore(Arg("--store")), loggers);
        using var stop = new CancellationTokenSource();
        var running = Task.Run(() => component.RunAsync(stop.Token));
        // Not repopulating while online: the node is up to date and the service presence available.
        await component.Monitor.WaitUntilAsync(s => s.State == XmppLinkState.Online && !s.Repopulating, stop.Token);
        Console.WriteLine($"online {component.Monitor.Current.PresenceMode}");
        while (await Console.In.ReadLineAsync() is { } line)
        {
            if (line == "probes")
            {
                Console.WriteLine($"probes {Interlocked.Read(ref probes)}");
                continue;
            }
            if (line != "mem") continue;
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var rss = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            Console.WriteLine($"mem {GC.GetTotalMemory(false) / 1024} {rss} {component.Monitor.Current.Reconnects}");
        }
        stop.Cancel();
        await running;
        return 0;
    }
}

/// <summary>Subscribers in a text file, one bare JID per line (the web host keeps them in its database).</summary>
public sealed class FileSubscriberStore(string path) : ISubscriberStore
{
    private readonly SemaphoreSlim _gate = new(1);
    private HashSet<string>? _set;

    public async Task<IReadOnlyList<string>> GetAllAsync(CancellationToken cancellationToken) => [.. await LoadAsync(cancellationToken)];

    public async Task AddAsync(string bareJid, CancellationToken cancellationToken)
    {
        var set = await LoadAsync(cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try { if (set.Add(bareJid)) await File.AppendAllTextAsync(path, bareJid + "\n", cancellationToken); }
        finally { _gate.Release(); }
    }

    public async Task RemoveAsync(string bareJid, CancellationToken cancellationToken)
    {
        var set = await LoadAsync(cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try { if (set.Remove(bareJid)) await File.WriteAllLinesAsync(path, set, cancellationToken); }
        finally { _gate.Release(); }
    }

    private async Task<HashSet<string>> LoadAsync(CancellationToken cancellationToken)
    {
        if (_set is not null) return _set;
        var set = File.Exists(path) ? (await File.ReadAllLinesAsync(path, cancellationToken)).Where(l => l.Length > 0).ToHashSet() : [];
        return _set ??= set;
    }
}

/// <summary>Counts the probes the component reports in its "Probed {Count} subscribers" log line.</summary>
public sealed class ProbeCounter(Action<long> add) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Counter(add);

    public void Dispose() { }

    private sealed class Counter(Action<long> add) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values && values.Any(v => v is { Key: "{OriginalFormat}", Value: "Probed {Count} subscribers" }))
                add(Convert.ToInt64(values.First(v => v.Key == "Count").Value, CultureInfo.InvariantCulture));
        }
    }
}
