using Microsoft.AspNetCore.Identity;

namespace Presence.Web.Data;

/// <summary>The Identity store settings the service uses, so design-time tools build the same model.</summary>
internal static class DesignTimeServices
{
    public static readonly IServiceProvider Identity = new ServiceCollection()
        .Configure<IdentityOptions>(o => DatabaseRegistration.ConfigureIdentityStore(o.Stores))
        .BuildServiceProvider();
}
