using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace Presence.Web.Hosting;

/// <summary>Loads the repository-root <c>appsettings.json</c> (linked into the build output) under every other source.</summary>
internal static class RootConfiguration
{
    /// <summary>
    /// Inserts <c>appsettings.json</c> from the application's base directory right after the host defaults, so
    /// environment variables (<c>Presence__Tokens__SharedSecret</c>) and the command line still override it.
    /// </summary>
    public static WebApplicationBuilder AddRootConfiguration(this WebApplicationBuilder builder)
    {
        var source = new JsonConfigurationSource
        {
            Path = "appsettings.json",
            Optional = true,
            ReloadOnChange = false,
            FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
        };
        var sources = builder.Configuration.Sources;
        var index = sources.Select((s, i) => (s, i)).FirstOrDefault(x => x.s is JsonConfigurationSource).i;
        sources.Insert(Math.Max(index, 0), source);
        return builder;
    }
}
