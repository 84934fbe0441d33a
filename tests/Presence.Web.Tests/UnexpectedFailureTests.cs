using Microsoft.AspNetCore.Builder;
using Presence.Web.Tests.Infrastructure;

namespace Presence.Web.Tests;

/// <summary>An unexpected failure on the API is a problem detail without internals (issue 9 §2).</summary>
public sealed class UnexpectedFailureTests
{
    private sealed class ExplodingEndpoint : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Map("/api/v1/explode", b => b.Run(_ => throw new InvalidOperationException("internal detail: connection string Data Source=/secret/path")));
        };
    }

    [Fact]
    public async Task AnUnexpectedExceptionIsA500ProblemDetailWithoutInternals()
    {
        using var db = TempDatabase.Sqlite();
        await using var app = new PresenceApp(db);
        await using var exploding = app.WithWebHostBuilder(b => Microsoft.AspNetCore.TestHost.WebHostBuilderExtensions.ConfigureTestServices(b,
            s => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, ExplodingEndpoint>(s)));

        var r = await exploding.CreateClient().GetAsync("/api/v1/explode");

        var text = await r.Content.ReadAsStringAsync();
        Assert.Equal(500, (int)r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        Assert.Contains("unexpected error on the server", text);
        Assert.DoesNotContain("internal detail", text);
        Assert.DoesNotContain("InvalidOperationException", text);
        Assert.DoesNotContain("   at ", text);
    }
}
