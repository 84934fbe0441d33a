using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime;
using System.Text;
using Presence.Domain.Tracking;
using Presence.Xmpp.Component;

namespace ComponentPipeline;

/// <summary>
/// Stalled XMPP server (issue 9): the real <see cref="XmppComponent"/> against a loopback server that, on every
/// connection, reads normally until the component is online and repopulated, then stops reading while it keeps writing
/// users' presence and XEP-0199 pings (each ping makes the component queue an answer). The component's outbound queue
/// fills, the component drops the link and reconnects; the next connection is read again, then stalled again. After
/// each cycle (back online) the process's RSS and the managed heap after a full blocking GC are recorded, to show that
/// dropped connections are released and memory stays flat. Writes bench/results/stalled-server.txt.
/// </summary>
internal static class StalledServerBench
{
    public static async Task RunAsync(int cycles, int queueCapacity, string output)
    {
        await using var server = new StallingServer("bench-secret");
        var tracker = new PresenceTracker(TimeProvider.System);
        var options = new XmppOptions
        {
            Enabled = true, Port = server.Port, Secret = "bench-secret", SessionDetails = false,
            // Keepalive pings are slow so that the outbound queue bound, not the keepalive timeout, is what drops the link.
            PingInterval = TimeSpan.FromHours(1), KeepaliveInterval = TimeSpan.FromMinutes(5), KeepaliveTimeout = TimeSpan.FromMinutes(1),
            RepopulationQuietPeriod = TimeSpan.FromMilliseconds(100), ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(200), OutboundQueueCapacity = queueCapacity,
        };
        var component = new XmppComponent(options, tracker, new NoSubscribers());
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => component.RunAsync(stop.Token));

        // Presence keeps arriving from the server throughout, stalled or not (1,000 users, about 5,000 stanzas/s).
        var presence = Task.Run(async () =>
        {
            var n = 0;
            var chunk = new StringBuilder();
            while (!stop.IsCancellationRequested)
            {
                chunk.Clear();
                for (var i = 0; i < 50; i++, n++)
                    chunk.Append("<presence from='user").Append(n % 1000).Append("@localhost/laptop' to='pubpresence.localhost'><status>cycle ")
                        .Append(n / 1000).Append("</status></presence>");
                await server.TryWriteAsync(chunk.ToString());
                try { await Task.Delay(10, stop.Token); } catch (OperationCanceledException) { }
            }
        });

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Stalled XMPP server benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        report.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, GC {(GCSettings.IsServerGC ? "server" : "workstation")}");
        report.AppendLine(CultureInfo.InvariantCulture, $"Workload: {cycles} cycles of stall → drop → reconnect; Presence:Xmpp:OutboundQueueCapacity = {queueCapacity:N0}, OutboundQueueBytes = {options.OutboundQueueBytes:N0}; presence from 1,000 users at ~5,000 stanzas/s throughout; while stalled, pings in batches of 500");
        report.AppendLine(CultureInfo.InvariantCulture, $"Load average at start: {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a")}");
        report.AppendLine("Figures after each cycle, once the component is back online: RSS (process), managed heap after a full blocking GC");
        report.AppendLine();
        var clock = Stopwatch.StartNew();
        var rss = new List<double>();
        var heap = new List<double>();

        await component.Monitor.WaitUntilAsync(s => s.State == XmppLinkState.Online && !s.Repopulating);
        var (rss0, heap0) = Measure();
        var baseline = string.Create(CultureInfo.InvariantCulture, $"before the first stall: RSS {rss0:N1} MB, heap {heap0:N1} MB");
        Console.WriteLine(baseline);
        report.AppendLine(baseline);
        for (var cycle = 1; cycle <= cycles; cycle++)
        {
            var cycleClock = Stopwatch.StartNew();
            var connection = server.Connections;
            server.Stall();
            var pings = 0L;
            var written = true;
            while (written && component.Monitor.Current.State == XmppLinkState.Online)
            {
                var batch = new StringBuilder();
                for (var i = 0; i < 500; i++, pings++)
                    batch.Append("<iq type='get' id='sp").Append(pings).Append("' from='localhost' to='pubpresence.localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
                written = await server.TryWriteAsync(batch.ToString()); // fails once the component dropped the stalled link
            }
            var reason = (await component.Monitor.WaitUntilAsync(s => s.State != XmppLinkState.Online)).LastError ?? "";
            await component.Monitor.WaitUntilAsync(s => s.State == XmppLinkState.Online && !s.Repopulating && server.Connections > connection);
            var (r, h) = Measure();
            rss.Add(r);
            heap.Add(h);
            var line = string.Create(CultureInfo.InvariantCulture,
                $"cycle {cycle,2}: RSS {r,6:N1} MB, heap {h,5:N1} MB, {ThreadPool.ThreadCount} pool threads; {pings,7:N0} pings written while stalled, {cycleClock.Elapsed.TotalSeconds:N1} s; dropped: {(reason.Contains("stopped reading") ? (reason.Contains("OutboundQueueBytes") ? "byte bound" : "stanza bound") : reason)}");
            Console.WriteLine(line);
            report.AppendLine(line);
        }
        stop.Cancel();
        await run;
        await presence;

        report.AppendLine();
        report.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"RSS MB first/max/last: {rss[0]:N1}/{rss.Max():N1}/{rss[^1]:N1}; heap MB first/max/last: {heap[0]:N1}/{heap.Max():N1}/{heap[^1]:N1}; " +
            $"{server.Connections} connections; {clock.Elapsed.TotalSeconds:N0} s; tracker sequence {tracker.Sequence:N0}"));
        Console.Write(report.ToString()[report.ToString().LastIndexOf("RSS MB", StringComparison.Ordinal)..]);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, report.ToString());
        Console.WriteLine($"written to {output}");
    }

    private static (double RssMb, double HeapMb) Measure()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce; // pooled write buffers live on the LOH
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        using var self = Process.GetCurrentProcess();
        return (self.WorkingSet64 / 1048576.0, heap / 1048576.0);
    }
}

/// <summary>
/// The accept side of XEP-0114 on loopback, accepting one connection after another: handshake check, an empty result
/// for every iq request the component sends (found by a byte scan) — until <see cref="Stall"/>, after which the current
/// connection is no longer read (as a hung server would) while writes to it continue. A new connection replaces the
/// previous one, whose socket is closed.
/// </summary>
internal sealed class StallingServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _secret;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;
    private volatile Link? _current;
    private int _connections;

    public StallingServer(string secret)
    {
        _secret = secret;
        _listener.Start();
        _accept = Task.Run(AcceptLoopAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections that completed the handshake.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>The current connection stops being read.</summary>
    public void Stall()
    {
        if (_current is { } link) link.Stalled = true;
    }

    /// <summary>Writes to the current connection; <c>false</c> when there is none or it failed.</summary>
    public async Task<bool> TryWriteAsync(string xml)
    {
        if (_current is not { } link) return false;
        try
        {
            await link.WriteAsync(Encoding.UTF8.GetBytes(xml));
            return true;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try { socket = await _listener.AcceptSocketAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        socket.NoDelay = true;
        var link = new Link(new NetworkStream(socket, ownsSocket: true));
        try
        {
            var buffer = new byte[4096];
            var text = new StringBuilder();
            while (!text.ToString().Contains("<stream:stream")) text.Append(Encoding.UTF8.GetString(buffer, 0, await ReadSomeAsync(link, buffer)));
            var id = "stall-" + Guid.NewGuid().ToString("N");
            await link.WriteAsync(Encoding.UTF8.GetBytes($"<?xml version='1.0'?><stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams' id='{id}' from='pubpresence.localhost'>"));
            text.Clear();
            while (!text.ToString().Contains("</handshake>")) text.Append(Encoding.UTF8.GetString(buffer, 0, await ReadSomeAsync(link, buffer)));
            if (!text.ToString().Contains(ComponentHandshake.Compute(id, _secret))) throw new InvalidOperationException("wrong handshake");
            var previous = _current;
            _current = link;
            previous?.Dispose();
            Interlocked.Increment(ref _connections);
            await link.WriteAsync("<handshake/>"u8.ToArray());
            await ReadLoopAsync(link);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            link.Dispose();
        }
    }

    private static async Task<int> ReadSomeAsync(Link link, byte[] buffer)
    {
        var n = await link.Stream.ReadAsync(buffer);
        return n == 0 ? throw new IOException("closed") : n;
    }

    // Answers every iq request (get/set) the component sends with an empty result, until stalled.
    private async Task ReadLoopAsync(Link link)
    {
        var buffer = new byte[256 * 1024];
        var carry = 0;
        var answers = new StringBuilder();
        while (!link.Stalled)
        {
            var n = await link.Stream.ReadAsync(buffer.AsMemory(carry), _stop.Token);
            if (n == 0) return;
            var length = carry + n;
            var span = buffer.AsSpan(0, length);
            var consumed = IqAnswers.Scan(span, answers);
            if (answers.Length > 0)
            {
                await link.WriteAsync(Encoding.UTF8.GetBytes(answers.ToString()));
                answers.Clear();
            }
            carry = length - consumed;
            buffer.AsSpan(consumed, carry).CopyTo(buffer);
        }
        // Stalled: read nothing more; the connection ends when the component drops it (our writes fail) or a new one replaces it.
        await link.Ended.Task.WaitAsync(_stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        _current?.Dispose();
        try { await _accept; } catch { }
    }

    private sealed class Link(NetworkStream stream) : IDisposable
    {
        private readonly SemaphoreSlim _write = new(1, 1);
        public NetworkStream Stream { get; } = stream;
        public volatile bool Stalled;
        public TaskCompletionSource Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task WriteAsync(byte[] bytes)
        {
            await _write.WaitAsync();
            try { await Stream.WriteAsync(bytes); }
            catch { Dispose(); throw; }
            finally { _write.Release(); }
        }

        public void Dispose()
        {
            Ended.TrySetResult();
            Stream.Dispose();
        }
    }
}
