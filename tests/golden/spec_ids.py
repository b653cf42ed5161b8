"""Worked-example ids E1-E6 (docs/compat.md) of gokart 1.12.2, keyed by the golden case reproducing each one."""

# Checked against vectors.json so a regenerated file cannot silently drift from these ids.
SPEC_IDS = {
    'e1_example': '8441c59b5ce0113396d53509f19371fb',
    'e1_bare_task_on_kart': '7757badf81370beccb26f204c5bddba5',
    'e1_sample_task_param': '22d2ff1bf0b8cac4b3bb40608255a6c4',
    'e1_doc_sample': 'cdf55a3d6c255d8c191f5f472da61f99',
    'e2_all_kinds': '8e65a50e849a08d70078bd2ba94dbd13',
    'e3_escaping': 'd8f79e2682839b2333a236747438c2f1',
    'e4_a_default': 'ff5757489786cf5b71cfcc6f03491de3',
    'e4_a_x2': 'cd148b89a7770af9a642827525ad6dc5',
    'e4_b_task_instance': 'd3139ea5e850572e9650352dc863b4e3',
    'e4_c_requires_dict_insignificant': '241343b008f05bf24a725d963e18ca03',
    'e4_e_external_task': 'b8a6ffb1b939101bbd34cbfed4fda817',
    'e4_with_plain_and_none': '783acf4b21f8b51529737f92c87c0883',
    'e5_list_task_instance': '0a2e84486839a1e4a7037796808b8acb',
    'e5_ns_child': 'e8cf9a334e9b6752f1f55e96892e8223',
    'e5_parent_ns_child': '4fd6a3ac3bb7da7379db0592684afffb',
    'e5_insig_param_v1': 'b645b0285f87ba62b887ad7ebb76e118',
    'e5_insig_param_v2': '76f85321340798f05f6b5150df23db03',
    'e5_nested_requires': '278b5e7199d80dfd5b1dc265d3dd1e6d',
    'e6_source_check': 'ef3d689136aa93bbdaaf0c4c9c9a1cdb',
    'e6_no_source_check': 'f53c6552513166d303f4ce7159594a8e',
}
