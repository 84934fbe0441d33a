using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Presence.Web.Data;

/// <summary>For <c>dotnet ef migrations add … --context PostgresPresenceDbContext</c> (no database is opened).</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresPresenceDbContext>
{
    public PostgresPresenceDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresPresenceDbContext>().UseNpgsql("Host=localhost;Database=design-time")
            .UseApplicationServiceProvider(DesignTimeServices.Identity).Options);
}
