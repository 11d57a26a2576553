"""Related work: experiments from papers that extend or explain Balaji et al. (2021)."""
