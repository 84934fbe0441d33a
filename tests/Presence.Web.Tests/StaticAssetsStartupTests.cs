using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Presence.Web.Tests.Infrastructure;

namespace Presence.Web.Tests;

/// <summary>
/// The dashboard's static assets (the framework's blazor.web.js, MudBlazor's stylesheet and script, the reconnect
/// script) are served however the service is started: <c>./run.sh</c> (dotnet run, Production) and a published build.
/// The test host is covered by DashboardEndpointTests and the browser tests.
/// </summary>
public sealed class StaticAssetsStartupTests
{
    private static readonly string Root = FindRoot();

    [Fact]
    public async Task RunShServesTheDashboardAndItsStaticAssets()
    {
        using var db = TempDatabase.Sqlite();
        var port = FreePort();

        await using var service = await ServiceProcess.StartAsync("bash", [Path.Combine(Root, "run.sh"), ..Settings(db, port)], Root, port);

        await AssertAssetsServedAsync(port);
    }

    // publish defaults to Release; --no-build must publish what this test run was built with.
#if DEBUG
    private const string BuildConfiguration = "Debug";
#else
    private const string BuildConfiguration = "Release";
#endif

    [Fact]
    public async Task APublishedBuildServesTheDashboardAndItsStaticAssets()
    {
        using var db = TempDatabase.Sqlite();
        var output = Path.Combine(Path.GetTempPath(), "presence-publish-" + Guid.NewGuid().ToString("N"));
        try
        {
            var publish = Process.Start(new ProcessStartInfo("dotnet", ["publish", Path.Combine(Root, "src", "Presence.Web"), "--no-build", "-c", BuildConfiguration, "-o", output, "-v", "q", "--nologo"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var log = await publish.StandardOutput.ReadToEndAsync() + await publish.StandardError.ReadToEndAsync();
            await publish.WaitForExitAsync();
            Assert.True(publish.ExitCode == 0, "dotnet publish failed:\n" + log);
            var port = FreePort();

            await using var service = await ServiceProcess.StartAsync("dotnet", [Path.Combine(output, "Presence.Web.dll"), ..Settings(db, port)], output, port);

            await AssertAssetsServedAsync(port);
        }
        finally
        {
            try { Directory.Delete(output, recursive: true); } catch (IOException) { }
        }
    }

    private static string[] Settings(TempDatabase db, int port) =>
    [
        "--urls", $"http://127.0.0.1:{port}", "--ConnectionStrings:Presence=" + db.ConnectionString,
        "--Presence:Board:AllowAnonymous=true", "--Presence:Tokens:SharedSecret=" + PresenceApp.Secret,
    ];

    private static async Task AssertAssetsServedAsync(int port)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        var page = await http.GetStringAsync("/");
        var assets = Regex.Matches(page, "(?:src|href)=\"([^\"]+\\.(?:js|css))\"").Select(m => m.Groups[1].Value).ToList();

        Assert.Contains(assets, a => a.StartsWith("_framework/blazor.web.", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.StartsWith("_content/MudBlazor/MudBlazor.min.", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.StartsWith("Components/Layout/ReconnectModal.", StringComparison.Ordinal));
        foreach (var asset in assets)
        {
            using var response = await http.GetAsync(asset);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{asset}: {(int)response.StatusCode}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Presence.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Presence.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The service as a child process, stopped (with its children) on dispose.</summary>
    private sealed class ServiceProcess : IAsyncDisposable
    {
        private readonly Process _process;

        private ServiceProcess(Process process) => _process = process;

        public static async Task<ServiceProcess> StartAsync(string file, string[] arguments, string directory, int port)
        {
            var info = new ProcessStartInfo(file, arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
            info.Environment["DOTNET_ENVIRONMENT"] = "Production";
            info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            var process = Process.Start(info)!;
            var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var log = new System.Text.StringBuilder();
            void OnLine(object _, DataReceivedEventArgs e)
            {
                if (e.Data is null) return;
                lock (log) log.AppendLine(e.Data);
                if (e.Data.Contains("Presence is listening on", StringComparison.Ordinal)) listening.TrySetResult();
            }
            process.OutputDataReceived += OnLine;
            process.ErrorDataReceived += OnLine;
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var service = new ServiceProcess(process);
            var exited = process.WaitForExitAsync();
            var first = await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromMinutes(3)));
            if (first != listening.Task)
            {
                await service.DisposeAsync();
                lock (log) throw new Xunit.Sdk.XunitException($"the service on port {port} did not start:\n{log}");
            }
            return service;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }
}
