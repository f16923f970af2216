using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Egov.Steering.Decisions.Data.Migrations
{
    /// <inheritdoc />
    public partial class AdditionalSources : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "additional_sources",
                table: "decisions",
                type: "text",
                nullable: false,
                // What the decisions stored before cite besides their source: nothing (a JSON list).
                defaultValue: "[]");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "additional_sources",
                table: "decisions");
        }
    }
}
