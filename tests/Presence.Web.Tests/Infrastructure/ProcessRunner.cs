using System.Diagnostics;

namespace Presence.Web.Tests.Infrastructure;

/// <summary>Runs a program to its end for a test: both output streams read at once (no pipe can fill and stall it).</summary>
public static class ProcessRunner
{
    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/>; returns its exit code and trimmed outputs.</summary>
    /// <exception cref="TimeoutException">It did not end within <paramref name="timeout"/> (default 2 minutes); it is killed.</exception>
    public static (int ExitCode, string Output, string Error) Run(string file, IEnumerable<string> args, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish");
        }
        return (p.ExitCode, output.Result.Trim(), error.Result.Trim());
    }

    /// <summary>Like <see cref="Run"/>, and returns the standard output.</summary>
    /// <exception cref="InvalidOperationException">The exit code is not 0 (the message carries both outputs).</exception>
    public static string RunChecked(string file, IEnumerable<string> args, string? workingDirectory = null)
    {
        var (code, output, error) = Run(file, args, workingDirectory);
        if (code != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({code}): {error}{output}");
        return output;
    }
}
