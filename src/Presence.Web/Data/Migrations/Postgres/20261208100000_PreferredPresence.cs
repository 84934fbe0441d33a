using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Presence.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PreferredPresence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "LastSeen",
                table: "Users",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "OverallSince",
                table: "Users",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "Until",
                table: "ProtocolStatuses",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LastSeen",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "OverallSince",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "Until",
                table: "ProtocolStatuses");
        }
    }
}
