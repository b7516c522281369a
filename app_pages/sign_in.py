from alpr.ui.signin import render_sign_in

render_sign_in()
