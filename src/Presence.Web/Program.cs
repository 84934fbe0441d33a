using Presence.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddRootConfiguration();
if (await AdminCommands.TryRunAsync(args, builder.Configuration)) return;

builder.AddPresenceServices();

var app = builder.Build();
app.MapPresenceEndpoints();
await app.RunAsync();

/// <summary>The service's entry point (public for <c>WebApplicationFactory</c>).</summary>
public partial class Program;
