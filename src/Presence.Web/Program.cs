using Presence.Web.Configuration;
using Presence.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddRootConfiguration();
if (await AdminCommands.TryRunAsync(args, builder.Configuration)) return;

ListenAddressOptions.UseDefaultListenAddress(builder);
builder.AddPresenceServices();

var app = builder.Build();
if (!StartupValidation.Passes(app.Services, Console.Error)) // one line per bad key, no stack trace
{
    // In its own process the service exits with a code. Hosted in-process (WebApplicationFactory) the host sees the
    // validation exception; the host is neither started nor disposed here, so the factory never meets a disposed host.
    if (System.Reflection.Assembly.GetEntryAssembly() != typeof(Program).Assembly) StartupValidation.ThrowFailures(app.Services);
    Environment.ExitCode = StartupValidation.InvalidConfigurationExitCode;
    await app.DisposeAsync();
    return;
}
// A busy listen address stops the service with one line before anything touches the database: Kestrel binds only
// after the hosted services have started, and the database start-up is one of them (see ListenAddressProbe).
// In-process (WebApplicationFactory) the test server binds nothing, so there is nothing to probe.
if (System.Reflection.Assembly.GetEntryAssembly() == typeof(Program).Assembly && !ListenAddressProbe.Passes(app.Configuration, Console.Error))
{
    Environment.ExitCode = ListenAddressProbe.ExitCode;
    await app.DisposeAsync();
    return;
}
app.MapPresenceEndpoints();
try
{
    await app.RunAsync();
}
catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
{
    // Taken by another process between the probe and Kestrel's bind: the same one line and exit code, not a crash.
    Console.Error.WriteLine($"Cannot start: {ex.Message} Stop the other process, or listen elsewhere with Urls (ASPNETCORE_URLS, --urls).");
    Environment.ExitCode = ListenAddressProbe.ExitCode;
}

/// <summary>The service's entry point (public for <c>WebApplicationFactory</c>).</summary>
public partial class Program;
