"""``cevns xsec``: differential and flux-averaged CEvNS cross sections."""

from .base import CLIError, Output, add_command
from .options import (
    nonnegative_float,
    numbers,
    positive_float,
)

__all__ = ["run", "register", "XSEC_SOURCES"]

#: The magnetic moment of --model mu when --mu-muB is not given (mu_B).
DEFAULT_MU_MUB = 1e-10

XSEC_SOURCES = {"sns": "CsI[Na] current", "reactor": "CONUS current"}


def run(args):
    """Differential cross sections dsigma/dT (cm^2/keV), or a flux-averaged total cross section (cm^2)."""
    from dataclasses import replace

    from ..engine.yields import flux_averaged_cross_section
    from ..experiment.registry import get_experiment
    from ..physics import em_properties
    from ..physics.model import PhysicsModel
    from ..physics.nuclei import isotope

    physics = PhysicsModel(kinematics=args.kinematics, form_factor=args.form_factor)
    point = {"--nucleus": args.nucleus, "--enu-MeV": args.enu_MeV, "--recoil-keV": args.recoil_keV,
             "--mu-muB": args.mu_muB}
    if args.flux_averaged:
        given = [k for k, v in point.items() if v is not None]
        if given:
            raise CLIError(f"{given[0]} does not apply to --flux-averaged (a spectrum-averaged total cross section)")
        args.source = args.source or "sns"
        if not args.target:
            raise CLIError("--flux-averaged needs --target MATERIAL (e.g. CsI)")
        exp = replace(get_experiment(XSEC_SOURCES[args.source]), material=args.target, physics=physics)
        sigma = flux_averaged_cross_section(exp, threshold_keV=args.threshold_keV)
        rec = {"source": args.source, "target": args.target, "threshold_keV": args.threshold_keV,
               "kinematics": args.kinematics, "sigma_cm2": sigma, "unit": "cm^2"}
        notes = (f"Flux-averaged Standard-Model cross section per {args.target} nucleus (averaged over its nuclei "
                 f"and the {args.source} spectrum), recoils above {args.threshold_keV:g} keVnr; cm^2.",)
        if args.source == "sns" and args.target == "CsI" and args.threshold_keV == 0:
            from ..data import read_toml

            ref = read_toml("coherent", "csi2021", "parameters.toml")["published"]["xsec_sm_1e-40cm2"]
            rec["coherent_sm_cm2"] = ref["value"] * 1e-40
            notes += (f"COHERENT's Standard-Model value: ({ref['value']:g} +- {ref['err_high']:g}) x 1e-40 cm^2 "
                      f"({ref['source']}); ours / theirs = {sigma / (ref['value'] * 1e-40):.3f}.",)
            return Output([rec], ("source", "target", "kinematics", "sigma_cm2", "coherent_sm_cm2"), notes)
        return Output([rec], ("source", "target", "threshold_keV", "kinematics", "sigma_cm2"), notes)
    if args.nucleus is None or args.enu_MeV is None or args.recoil_keV is None:
        raise CLIError("give --nucleus, --enu-MeV and --recoil-keV (or --flux-averaged with --source and --target)")
    for option, value in (("--source", args.source), ("--target", args.target)):
        if value is not None:
            raise CLIError(f"{option} applies to --flux-averaged only")
    if args.mu_muB is not None and args.model != "mu":
        raise CLIError("--mu-muB sets the moment of --model mu; add --model mu (the default model sm has none)")
    args.mu_muB = DEFAULT_MU_MUB if args.mu_muB is None else args.mu_muB
    iso = isotope(args.nucleus)
    mu = args.mu_muB if args.model == "mu" else 0.0
    records = []
    for T in args.recoil_keV:
        if args.model == "sm":
            value = float(em_properties.dsigma(args.enu_MeV, T, iso, model=physics))
        else:
            value = float(em_properties.dsigma(args.enu_MeV, T, iso, mu_muB=mu, model=physics)
                          - em_properties.dsigma(args.enu_MeV, T, iso, model=physics))
        records.append({"nucleus": iso.name, "enu_MeV": args.enu_MeV, "recoil_keV": T, "model": args.model,
                        "kinematics": args.kinematics, "dsigma_dT_cm2_per_keV": value, "unit": "cm^2/keV"})
    what = "Standard Model" if args.model == "sm" else f"magnetic moment {mu:g} mu_B (helicity flip only)"
    notes = (f"dsigma/dT on {iso.name} at E_nu = {args.enu_MeV:g} MeV, {what}, {args.kinematics} kinematics; "
             "cm^2 per keV of nuclear recoil; zero above T_max.",)
    return Output(records, ("nucleus", "enu_MeV", "recoil_keV", "model", "dsigma_dT_cm2_per_keV"), notes)


def register(sub):
    """Add the ``xsec`` subcommand to the subparsers ``sub``."""
    p = add_command(sub, "xsec", run,
                     help="differential or flux-averaged CEvNS cross sections",
                     description="dsigma/dT of one nucleus at one neutrino energy and several recoil energies "
                                 "(cm^2/keV), for the\nStandard Model ('sm') or the magnetic-moment term ('mu'); "
                                 "or, with --flux-averaged, the\nStandard-Model cross section averaged over a "
                                 "source's spectrum and a target's nuclei (cm^2).\n"
                                 "Units: neutrino energy in MeV, recoil energies in keV (nuclear recoil), "
                                 "dsigma/dT in cm^2/keV, sigma in cm^2.")
    p.add_argument("--nucleus", metavar="ISOTOPE", help="target isotope, e.g. 133Cs")
    p.add_argument("--enu-MeV", dest="enu_MeV", type=positive_float, metavar="E", help="neutrino energy (MeV)")
    p.add_argument("--recoil-keV", dest="recoil_keV", type=lambda t: numbers(t, "--recoil-keV"), metavar="T,T,...",
                   help="nuclear recoil energies (keV), separated by commas")
    p.add_argument("--model", choices=("sm", "mu"), default="sm",
                   help="sm: Standard Model; mu: the magnetic-moment term alone")
    p.add_argument("--mu-muB", dest="mu_muB", type=positive_float, default=None, metavar="MU",
                   help=f"magnetic moment for --model mu, in mu_B (default: {DEFAULT_MU_MUB:g})")
    p.add_argument("--kinematics", choices=("paper", "exact"), default="paper",
                   help="paper: eq. (20) as printed; exact: with the -T/E term")
    p.add_argument("--form-factor", dest="form_factor", choices=("sf", "helm", "kn", "none"), default="sf",
                   help="nuclear form factor")
    p.add_argument("--flux-averaged", action="store_true",
                   help="print the flux-averaged total cross section instead (needs --source and --target)")
    p.add_argument("--source", choices=tuple(XSEC_SOURCES), default=None,
                   help="neutrino source for --flux-averaged (default: sns)")
    p.add_argument("--target", metavar="MATERIAL", help="target material for --flux-averaged, e.g. CsI, Ar")
    p.add_argument("--threshold-keV", dest="threshold_keV", type=nonnegative_float, default=0.0, metavar="T",
                   help="lowest nuclear recoil energy counted by --flux-averaged (keV)")
