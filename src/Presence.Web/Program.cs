using Presence.Web.Configuration;
using Presence.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddRootConfiguration();
if (await AdminCommands.TryRunAsync(args, builder.Configuration)) return;

ListenAddressOptions.UseDefaultListenAddress(builder);
builder.AddStartupValidationLogFilter();
builder.AddPresenceServices();

var app = builder.Build();
var valid = StartupValidation.Passes(app.Services, Console.Error); // one line per bad key, no stack trace
if (valid) app.MapPresenceEndpoints();
try
{
    await app.RunAsync();
}
// In its own process the service exits with a code; hosted in-process (WebApplicationFactory) the host sees the exception.
catch (Exception ex) when (!valid && StartupValidation.IsConfigurationError(ex) && System.Reflection.Assembly.GetEntryAssembly() == typeof(Program).Assembly)
{
    Environment.ExitCode = StartupValidation.InvalidConfigurationExitCode;
}

/// <summary>The service's entry point (public for <c>WebApplicationFactory</c>).</summary>
public partial class Program;
