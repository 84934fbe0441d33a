using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Presence.Web.Tests.Infrastructure;

/// <summary>
/// The real service as its own process (<c>dotnet Presence.Web.dll</c> from the test output), started the way an
/// operator starts it: environment variables and command-line arguments, a working directory of its own.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly string _directory;

    private ServiceProcess(Process process, string directory)
    {
        _process = process;
        _directory = directory;
    }

    /// <summary>Everything the service wrote to standard output so far.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Everything the service wrote to standard error so far.</summary>
    public string Error { get { lock (_error) return _error.ToString(); } }

    /// <summary>The service's working directory (its default <c>presence.db</c> lives here).</summary>
    public string Directory => _directory;

    /// <summary>Starts the service with <paramref name="environment"/> on top of a test shared secret and a database in its own directory.</summary>
    public static ServiceProcess Start(IDictionary<string, string?> environment, params string[] args)
    {
        var directory = Path.Combine(Path.GetTempPath(), "presence-process-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Presence.Web.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("Presence__", StringComparison.Ordinal)).ToList())
        {
            psi.Environment.Remove(key);
        }
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["Presence__Tokens__SharedSecret"] = PresenceApp.Secret;
        psi.Environment["ConnectionStrings__Presence"] = $"Data Source={Path.Combine(directory, "presence.db")}";
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        var process = new Process { StartInfo = psi };
        var service = new ServiceProcess(process, directory);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (service._output) service._output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (service._error) service._error.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>A TCP port on loopback that nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits for the process to exit by itself and returns its exit code.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    /// <summary>Polls <paramref name="url"/> until it answers (any status) or the process exits; returns the answer.</summary>
    public async Task<HttpResponseMessage> WaitForAnswerAsync(string url, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"the service exited with {_process.ExitCode}: {Error}{Output}");
            try
            {
                return await http.GetAsync(url);
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100); // nothing to await on: the port opens when Kestrel has bound it
            }
        }
    }

    /// <summary>Ends the process at once with SIGKILL (<c>kill -9</c>): no shutdown code runs; the kernel closes its sockets.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>Sends SIGTERM (what systemd and <c>docker stop</c> send) and waits for the process to exit.</summary>
    /// <returns>The exit code.</returns>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        ProcessRunner.RunChecked("/bin/kill", ["-s", "TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], workingDirectory: "/tmp");
        return await ExitCodeAsync(timeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { System.IO.Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
