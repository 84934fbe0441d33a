using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;

namespace Presence.Bench.LongRuns;

/// <summary>
/// Open-loop API load: <c>rate</c> compat PUTs per second (spread over 10 ms ticks, whatever the answers' latency),
/// each a real change with a unique message <c>soak {n}</c> for one of <c>users</c> API users, each with its own
/// token (the shared secret may write only its own user). Latencies and answers are collected per interval; every
/// acknowledged (200) message is remembered for the writes-lost check.
/// </summary>
public sealed class ApiLoad(HttpClient http, int rate, int users)
{
    private readonly string[] _tokens = Enumerable.Range(0, users).Select(i => Lab.Token(User(i))).ToArray();
    private readonly ConcurrentBag<string> _acknowledged = [];
    private List<double> _latencies = [];
    private long _sent, _ok, _unavailable, _other, _failed, _inFlight;
    private readonly object _gate = new();

    public static string User(int i) => $"api{i:0000}@{Lab.Domain}";

    public IReadOnlyCollection<string> Acknowledged => _acknowledged;
    public long Sent => Interlocked.Read(ref _sent);
    public long Ok => Interlocked.Read(ref _ok);
    public long Unavailable => Interlocked.Read(ref _unavailable);
    public long Other => Interlocked.Read(ref _other);
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Runs until <paramref name="stop"/>; at most 2,000 requests in flight (more are counted as failed).</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        long n = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var due = (long)(clock.Elapsed.TotalSeconds * rate);
                for (; n < due; n++)
                {
                    if (Interlocked.Read(ref _inFlight) >= 2000) { Interlocked.Increment(ref _failed); continue; }
                    _ = PutAsync(n);
                }
            }
        }
        catch (OperationCanceledException) { }
        while (Interlocked.Read(ref _inFlight) > 0) await Task.Delay(50);
    }

    private async Task PutAsync(long n)
    {
        Interlocked.Increment(ref _inFlight);
        Interlocked.Increment(ref _sent);
        var u = (int)(n % _tokens.Length);
        var message = $"soak {n}";
        var status = (n / _tokens.Length % 3) switch { 0 => "busy", 1 => "away", _ => "available" };
        var body = $"{{\"AuthenticationToken\":\"{_tokens[u]}\",\"Type\":\"UserStatus\",\"UserStatus\":[{{\"user_id\":\"{User(u)}\",\"spreed\":{{\"status\":\"{status}\",\"message\":\"{message}\"}}}}]}}";
        var t0 = Stopwatch.GetTimestamp();
        try
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await http.PutAsync("/presence", content);
            var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            lock (_gate) _latencies.Add(ms);
            if (response.StatusCode == HttpStatusCode.OK) { Interlocked.Increment(ref _ok); _acknowledged.Add(message); }
            else if (response.StatusCode == HttpStatusCode.ServiceUnavailable) Interlocked.Increment(ref _unavailable);
            else Interlocked.Increment(ref _other);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Interlocked.Increment(ref _failed);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>The latencies (ms) since the last call, sorted.</summary>
    public List<double> TakeLatencies()
    {
        List<double> taken;
        lock (_gate) { taken = _latencies; _latencies = new List<double>(taken.Count); }
        taken.Sort();
        return taken;
    }

    public static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1))];
}
