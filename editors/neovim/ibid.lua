-- ibid lsp beside tinymist, for Typst and the bibliography files.
-- Put this in init.lua (Neovim 0.10+). Without any plugin:
vim.api.nvim_create_autocmd("FileType", {
  pattern = { "typst", "yaml", "bib" },
  callback = function(args)
    local root = vim.fs.root(args.buf, { "ibid.toml", "thesis", ".git" })
    if not root then
      return
    end
    vim.lsp.start({
      name = "ibid",
      cmd = { "ibid", "lsp" }, -- add "--offline" to never check URLs
      root_dir = root,
    })
  end,
})

-- Or with nvim-lspconfig, as a custom server:
--
-- local configs = require("lspconfig.configs")
-- if not configs.ibid then
--   configs.ibid = {
--     default_config = {
--       cmd = { "ibid", "lsp" },
--       filetypes = { "typst", "yaml", "bib" },
--       root_dir = require("lspconfig.util").root_pattern("ibid.toml", "thesis", ".git"),
--     },
--   }
-- end
-- require("lspconfig").ibid.setup({})
-- require("lspconfig").tinymist.setup({})
