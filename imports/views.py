def run_list(r):
    pass


def navet_upload(r):
    pass


def run_detail(r, run_id):
    pass
