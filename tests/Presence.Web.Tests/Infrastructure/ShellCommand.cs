using System.Diagnostics;

namespace Presence.Web.Tests.Infrastructure;

/// <summary>
/// Runs a shell command as the README or the dashboard prints it, with bash, the way a reader pastes it: the only
/// change is that <c>dotnet run --project src/Presence.Web --</c> runs the service already built for the tests
/// (<c>dotnet Presence.Web.dll</c>) instead of building it again.
/// </summary>
public static class ShellCommand
{
    /// <summary>What the README and the dashboard write to run the service's commands.</summary>
    public const string DotnetRun = "dotnet run --project src/Presence.Web --";

    /// <summary>The command with <see cref="DotnetRun"/> replaced by the test build of the service.</summary>
    public static string WithTestBuild(string command) =>
        command.Replace(DotnetRun, $"dotnet '{Path.Combine(AppContext.BaseDirectory, "Presence.Web.dll")}'", StringComparison.Ordinal);

    /// <summary>Runs <paramref name="command"/> with <c>bash -c</c> (errexit, pipefail) in <paramref name="directory"/> with <paramref name="environment"/> added.</summary>
    /// <exception cref="TimeoutException">It did not end within two minutes; it is killed.</exception>
    public static (int ExitCode, string Output, string Error) Run(string command, IDictionary<string, string?>? environment = null, string? directory = null)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory ?? Path.GetTempPath() };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("set -eo pipefail\n" + WithTestBuild(command));
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("Presence__", StringComparison.Ordinal)).ToList())
        {
            psi.Environment.Remove(key);
        }
        foreach (var (k, v) in environment ?? new Dictionary<string, string?>()) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{command}' did not finish");
        }
        return (p.ExitCode, output.Result.Trim(), error.Result.Trim());
    }
}
