// A bare minimal API returning a constant JSON object: the ceiling the compat GET is compared with.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
app.MapGet("/", () => Results.Json(new Constant("UserStatus", "alice@example.com", "available")));
app.Run();

internal sealed record Constant(string Type, string User, string Status);
