using Presence.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
// ./run.sh (dotnet run) outside Development: serve the packages' static web assets (_content/…) from the build
// output as Development does; a published app has them in wwwroot and this does nothing.
builder.WebHost.UseStaticWebAssets();
builder.AddRootConfiguration();
if (await AdminCommands.TryRunAsync(args, builder.Configuration)) return;

builder.AddPresenceServices();

var app = builder.Build();
app.MapPresenceEndpoints();
await app.RunAsync();

/// <summary>The service's entry point (public for <c>WebApplicationFactory</c>).</summary>
public partial class Program;
