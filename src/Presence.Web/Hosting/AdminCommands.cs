namespace Presence.Web.Hosting;

/// <summary>Command-line verbs run instead of the service (e.g. <c>token alice@example.com</c>).</summary>
public static class AdminCommands
{
    /// <summary>Runs a verb when <paramref name="args"/> starts with one.</summary>
    /// <returns><c>true</c> when a verb ran and the process should exit.</returns>
    public static Task<bool> TryRunAsync(string[] args, IConfiguration configuration) => Task.FromResult(false);
}
